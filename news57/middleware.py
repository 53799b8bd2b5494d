from django.http import QueryDict

from .text import nfc


def _normalized(querydict):
    normalized = QueryDict(mutable=True, encoding=querydict.encoding)
    for key, values in querydict.lists():
        normalized.setlist(nfc(key), [nfc(value) for value in values])
    normalized._mutable = False
    return normalized


class NormalizeUnicodeMiddleware:
    """Every submitted form value and query reaches the views in NFC.

    Text pasted from Word or typed on a Mac arrives decomposed (NFD); doing it
    here covers the admin's forms, StreamField JSON and search queries alike.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _normalized(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _normalized(request.POST)
        return self.get_response(request)
