"""``GET /photos/{id}?exp=..&sig=..``: a stored photo, only through a link the hub signed and only until it expires.

No token is asked: the link is the permission, handed out only to a caller who could see the photo then
(``domain.photo_urls``). A bad or expired signature, a malformed id and a missing photo all get the same 404, so the
route tells nothing about which photos exist. The answer may be cached privately for what is left of the link's life
(never by a shared cache), and is never sniffed into anything but the image it is.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ..domain.photo_urls import PATH, link_valid, seconds_left
from ..domain.photos import JPEG, PhotoShelf, is_photo_id


def photo_routes(photos: PhotoShelf) -> list[Route]:
    async def photo(request: Request) -> Response:
        photo_id = request.path_params["photo_id"]
        exp, sig = request.query_params.get("exp"), request.query_params.get("sig")
        if not is_photo_id(photo_id) or not link_valid(photos.url_key, photo_id, exp, sig):
            return _not_found()
        data = await photos.files.read(photo_id)
        if data is None:
            return _not_found()
        assert exp is not None  # link_valid checked it
        headers = {
            "Cache-Control": f"private, max-age={min(seconds_left(exp), photos.url_ttl_s)}",
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "inline",
        }
        return Response(data, media_type=JPEG, headers=headers)  # every stored photo is re-encoded as JPEG

    return [Route(PATH + "{photo_id}", photo, methods=["GET"])]


def _not_found() -> Response:
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    return PlainTextResponse("not found", 404, headers=headers)
