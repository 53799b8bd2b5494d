from wagtail.models import Site


def agency(request):
    """The site that answered the request: its name (its agency's, kept so by Agency.save) heads every public page."""
    return {"current_site": Site.find_for_request(request)}
