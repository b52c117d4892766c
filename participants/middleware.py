"""Identity numbers in every answer, masked for whoever may not read them in full."""

from metro_slum.offline import COPY_HEADER
from metro_slum.roles import may_see_full_numbers
from participants.identity import mask_in_text


class IdentityNumbersMasked:
    """NIK and No. KK are masked in every answer to someone who may not see them in full, and in
    every page a phone keeps to read offline: whatever a page, an admin list, a title, a history
    or an autocomplete writes, a number reaches such a reader masked. Pages mask them themselves
    too (`{% identity %}`, the admin's masked columns); this is the rule no new page can forget.
    Files (exports, documents) are not pages: who may take them is decided where they are made."""

    TEXT = ("text/html", "text/plain", "application/json")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not response.get("Content-Type", "").startswith(self.TEXT):
            return response
        if may_see_full_numbers(getattr(request, "user", None)) and not request.headers.get(
            COPY_HEADER
        ):
            return response
        charset = response.charset
        text = response.content.decode(charset, errors="replace")
        masked = mask_in_text(text)
        if masked != text:
            response.content = masked.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
