"""A visitor of a server the tests started: a browser on one loopback address (127.0.0.x), with
its cookies, that fills the public complaint form and the login form as a person does."""

import http.client
import re
import urllib.parse

PASSWORD = "sandi-kepala-yang-panjang-2026"
TEXT = "Bantuan modal usaha dipotong oleh orang yang mengaku petugas kelurahan."


class Visitor:
    """A browser on one address: it connects from `source` and keeps its cookies."""

    def __init__(self, source: str, port: int):
        self.source, self.port, self.cookies = source, port, {}

    def request(self, method, path, form=None, headers=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        connection.close()
        return response.status, text

    def csrf_token(self, path):
        """Open the page as a browser does: its form's token (and the cookie beside it)."""
        _status, page = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_form(self, path, form, headers=None, token=None):
        """POST the form as the browser would, after opening its page unless `token` is given."""
        token = token or self.csrf_token(path)
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": token}, headers)[0]

    def send_complaint(self, token=None, headers=None):
        form = {"category": "other", "description": TEXT, "anonymous": "on"}
        return self.post_form("/pengaduan/", form, headers, token)

    def complain(self, headers=None):
        return self.send_complaint(headers=headers)

    def sign_in(self, password):
        return self.post_form("/masuk/", {"username": "kepala", "password": password})
