"""HTTP plumbing shared by the REST routes: exact JSON responses, Discord errors, request bodies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import BodyPartReader, web

from .recorder import RecordedFile

API_PREFIX = "/api/v10"


def json_body_response(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json``.

    aiohttp's ``json_response`` appends ``; charset=utf-8`` and discord.py then treats the body as text.
    """
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def ok(data: Any, *, status: int = 200) -> web.Response:
    """A successful response with ordinary (never exhausted) rate-limit headers."""
    return json_body_response(data, status=status, headers=_RATELIMIT_OK)


def no_content() -> web.Response:
    return web.Response(status=204, headers=_RATELIMIT_OK)


_RATELIMIT_OK = {
    "X-RateLimit-Limit": "50",
    "X-RateLimit-Remaining": "49",
    "X-RateLimit-Reset-After": "1.000",
}


class ApiError(Exception):
    """Raised by a route to answer with Discord's JSON error shape."""

    def __init__(self, status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return json_body_response(body, status=self.status)

    @classmethod
    def missing_permissions(cls, detail: str = "") -> ApiError:
        return cls(403, 50013, "Missing Permissions" + (f" ({detail})" if detail else ""))

    @classmethod
    def missing_access(cls) -> ApiError:
        return cls(403, 50001, "Missing Access")

    @classmethod
    def not_found(cls, what: str, code: int) -> ApiError:
        return cls(404, code, f"Unknown {what}")

    @classmethod
    def invalid_form(cls, field_name: str, message: str, *, code: str = "BASE_TYPE_INVALID") -> ApiError:
        errors = {field_name: {"_errors": [{"code": code, "message": message}]}}
        return cls(400, 50035, "Invalid Form Body", errors)


@dataclass
class ParsedBody:
    """A request body: JSON (or multipart ``payload_json``) plus uploaded files."""

    json: Any = None
    files: list[RecordedFile] = field(default_factory=list)

    def obj(self) -> dict[str, Any]:
        """The JSON body as a dict (empty when there was none)."""
        return self.json if isinstance(self.json, dict) else {}


async def parse_body(request: web.Request) -> ParsedBody:
    """Read JSON or multipart/form-data (``payload_json`` + ``files[n]``) the way Discord accepts them."""
    if not request.can_read_body:
        return ParsedBody()
    if request.content_type == "multipart/form-data":
        parsed = ParsedBody()
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):  # nested multipart: not used by Discord
                continue
            data = await part.read(decode=False)
            if part.filename is None and part.name == "payload_json":
                parsed.json = json.loads(data.decode())
            elif part.filename is not None:
                content_type = part.headers.get("Content-Type")
                parsed.files.append(RecordedFile(part.name or "", part.filename, content_type, bytes(data)))
        return parsed
    raw = await request.read()
    if not raw:
        return ParsedBody()
    try:
        return ParsedBody(json=json.loads(raw))
    except ValueError as exc:
        raise ApiError(400, 50109, "The request body contains invalid JSON.") from exc


PARSED_BODY = web.RequestKey("parsed_body", ParsedBody)


def body_of(request: web.Request) -> ParsedBody:
    """The body parsed by the middleware."""
    return request[PARSED_BODY]


def snowflake_param(request: web.Request, name: str) -> int:
    """A path parameter that must be a snowflake; Discord answers 404 for garbage ids."""
    value = request.match_info[name]
    if not value.isdigit():
        raise ApiError(404, 0, "404: Not Found")
    return int(value)


T = TypeVar("T")


def known(found: T | None, what: str, code: int) -> T:
    """``found``, or Discord's 404 "Unknown ``what``" with its JSON ``code`` (10003 channel, 10013 user...)."""
    if found is None:
        raise ApiError.not_found(what, code)
    return found
