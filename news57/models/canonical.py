"""Which site's page is a directive document's canonical one.

A document republished by many agencies names as canonical the page on the site of the agency
authoritative for its issuer, when that agency has a site here and carries the document live;
otherwise each site's page is its own. The authoritative site of an issuer is, first found:
the issuer's own site; the site of an agency named as authoritative for it (Agency.authoritative_for,
the lowest id when several are); the site of the nearest agency above it.
"""

from .agencies import Agency
from .documents import Publication, PublicationStatus


def authoritative_sites(issuer_ids):
    """{issuer id: the id of its authoritative site, or None}; three queries however many issuers."""
    issuer_ids = set(issuer_ids)
    if not issuer_ids:
        return {}
    # Agencies are few (a province's communes are some thousands): their tree is read whole, as plain values.
    tree = {pk: (parent_id, site_id) for pk, parent_id, site_id in Agency.objects.values_list("pk", "parent_id", "site_id")}
    named = {}
    rows = Agency.authoritative_for.through.objects.filter(
        to_agency_id__in=issuer_ids, from_agency__site__isnull=False
    ).order_by("from_agency_id")
    for issuer_id, site_id in rows.values_list("to_agency_id", "from_agency__site_id"):
        named.setdefault(issuer_id, site_id)
    found = {}
    for issuer_id in issuer_ids:
        own = tree.get(issuer_id, (None, None))[1]
        found[issuer_id] = own or named.get(issuer_id) or _nearest_above(tree, issuer_id)
    return found


def _nearest_above(tree, agency_id):
    seen = {agency_id}
    parent_id = tree.get(agency_id, (None, None))[0]
    while parent_id is not None and parent_id not in seen:
        seen.add(parent_id)
        parent_id, site_id = tree.get(parent_id, (None, None))
        if site_id:
            return site_id
    return None


def canonical_sites(documents):
    """{document id: the id of the site whose page is canonical} for documents whose authoritative site
    carries them live; a document left out is canonical on every site that carries it."""
    documents = list(documents)
    authorities = authoritative_sites({document.issuer_id for document in documents})
    wanted = {document.pk: authorities.get(document.issuer_id) for document in documents}
    wanted = {document_id: site_id for document_id, site_id in wanted.items() if site_id}
    if not wanted:
        return {}
    live = set(
        Publication.objects.filter(
            document_id__in=wanted, site_id__in=set(wanted.values()), status=PublicationStatus.PUBLISHED
        ).values_list("document_id", "site_id")
    )
    return {document_id: site_id for document_id, site_id in wanted.items() if (document_id, site_id) in live}
