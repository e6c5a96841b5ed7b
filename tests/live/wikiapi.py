"""A tiny client for the local wiki's API, used by the live tests to look at the wiki.

It is independent of pywikibot on purpose: the tests check what the bots did
through a different path from the one the bots use.
"""

from __future__ import annotations

import http.cookiejar
import json
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from bots.core.records.model import PageSnapshot


class WikiApi:
    def __init__(self, api_url: str, opener: urllib.request.OpenerDirector | None = None) -> None:
        self.api_url = api_url
        #: Anonymous by default; a logged-in client (:meth:`login`) keeps its session cookies here.
        self.opener = opener or urllib.request.build_opener()

    def call(self, post: bool = False, **params: str) -> dict[str, Any]:
        params = {"format": "json", "formatversion": "2", **params}
        data = urllib.parse.urlencode(params).encode()
        if post:
            request = urllib.request.Request(self.api_url, data=data)
        else:
            request = urllib.request.Request(f"{self.api_url}?{data.decode()}")
        with self.opener.open(request, timeout=60) as response:
            result: dict[str, Any] = json.load(response)
        if "error" in result:
            raise RuntimeError(f"API error: {result['error']}")
        return result

    def page(self, title: str) -> dict[str, Any]:
        result = self.call(action="query", prop="revisions", titles=title, rvprop="ids|content", rvslots="main")
        page: dict[str, Any] = result["query"]["pages"][0]
        return page

    def text(self, title: str) -> str:
        page = self.page(title)
        if page.get("missing"):
            raise KeyError(title)
        return str(page["revisions"][0]["slots"]["main"]["content"])

    def revid(self, title: str) -> int:
        page = self.page(title)
        return 0 if page.get("missing") else int(page["revisions"][0]["revid"])

    def edit(self, title: str, text: str, summary: str = "volunteer edit in a test") -> None:
        """Save as an anonymous volunteer (the local wiki lets anyone edit)."""
        self.call(post=True, action="edit", title=title, text=text, summary=summary, token="+\\")

    def login(self, user: str, password: str) -> WikiApi:
        """A client of the same wiki logged in as ``user`` (its own session), for what anonymous edits cannot do."""
        client = WikiApi(
            self.api_url, urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        )
        token = client.call(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        result = client.call(post=True, action="login", lgname=user, lgpassword=password, lgtoken=token)["login"]
        if result["result"] != "Success":
            raise RuntimeError(f"could not log in as {user}: {result}")
        return client

    def csrf_token(self) -> str:
        return str(self.call(action="query", meta="tokens")["query"]["tokens"]["csrftoken"])

    def undelete(self, title: str, reason: str = "restored in a test") -> None:
        """Restore a deleted page with all its revisions (needs a client logged in as an administrator)."""
        self.call(post=True, action="undelete", title=title, reason=reason, token=self.csrf_token())

    def delete(self, title: str, reason: str = "deleted after a test") -> None:
        """Delete a page (needs a client logged in as an administrator)."""
        self.call(post=True, action="delete", title=title, reason=reason, token=self.csrf_token())

    def parse(self, title: str) -> dict[str, Any]:
        result = self.call(action="parse", page=title, prop="text|links|categories|templates|externallinks|sections")
        parsed: dict[str, Any] = result["parse"]
        return parsed

    def transcluding(self, template: str, namespaces: Iterable[int]) -> list[PageSnapshot]:
        """Every page in ``namespaces`` (redirects left out) that transcludes ``Template:template``.

        Directly or through a redirect to the template, as the wiki records it: what the bots read.
        """
        titles: list[str] = []
        params = {
            "action": "query",
            "list": "embeddedin",
            "eititle": f"Template:{template}",
            "einamespace": "|".join(str(n) for n in namespaces),
            "eifilterredir": "nonredirects",
            "eilimit": "500",
        }
        while True:
            result = self.call(False, **params)
            titles.extend(page["title"] for page in result["query"]["embeddedin"])
            if "continue" not in result:
                break
            params.update(result["continue"])
        snapshots = []
        for i in range(0, len(titles), 50):
            batch = self.call(
                action="query",
                prop="revisions",
                titles="|".join(titles[i : i + 50]),
                rvprop="ids|content",
                rvslots="main",
            )
            assert "continue" not in batch, "a batch of 50 pages came back cut"
            for page in batch["query"]["pages"]:
                revision = page["revisions"][0]
                snapshots.append(
                    PageSnapshot(page["title"], revision["slots"]["main"]["content"], revision["revid"], page["pageid"])
                )
        return snapshots
