from wagtail.models import Site


def agency(request):
    """The agency whose site answered the request: its name heads every public page."""
    site = Site.find_for_request(request)
    return {"current_site": site, "current_agency": getattr(site, "agency", None) if site else None}
