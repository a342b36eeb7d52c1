"""The aiohttp application: one port serving the gateway websocket and REST v10, with a recording middleware."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from .gateway import Gateway
from .http_util import API_PREFIX, PARSED_BODY, ApiError, json_body_response, parse_body
from .recorder import RecordedCall
from .rest_core import routes as core_routes
from .rest_events import routes as event_routes
from .rest_guild import routes as guild_routes
from .rest_interactions import routes as interaction_routes
from .rest_messages import routes as message_routes
from .state import WORLD_KEY, World, log

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_NO_AUTH_PREFIXES = ("/interactions/", "/webhooks/")


class DoubleServer:
    """Owns the aiohttp runner; ``base_url`` is known once started (port 0 picks a free port)."""

    def __init__(self, world: World, gateway: Gateway) -> None:
        self.world = world
        self.gateway = gateway
        self.app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self.app[WORLD_KEY] = world
        self.app.router.add_get("/gateway", gateway.handle)
        self.app.router.add_routes(core_routes)
        self.app.router.add_routes(interaction_routes)
        self.app.router.add_routes(message_routes)
        self.app.router.add_routes(guild_routes)
        self.app.router.add_routes(event_routes)
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server  # aiohttp exposes no public accessor for the bound port
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.world.base_url = f"http://{host}:{self.port}"

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)  # the gateway websocket and attachment downloads
        world = self.world
        match = request.match_info
        api_path = request.path.removeprefix(API_PREFIX)
        known = match.http_exception is None
        route = api_path
        if known and match.route.resource is not None:
            route = match.route.resource.canonical.removeprefix(API_PREFIX)
        call = RecordedCall(
            index=len(world.calls),
            method=request.method,
            path=api_path,
            route=route,
            params=dict(match) if known else {},
            query=dict(request.query),
            json=None,
            files=[],
            reason=request.headers.get("X-Audit-Log-Reason"),
        )
        world.calls.append(call)
        response = await self._respond(request, handler, call, known)
        call.status = response.status
        if isinstance(response, web.Response) and response.content_type == "application/json" and response.body:
            call.response = json.loads(response.body)  # type: ignore[arg-type]
        world.changed()
        return response

    async def _respond(
        self, request: web.Request, handler: Handler, call: RecordedCall, known: bool
    ) -> web.StreamResponse:
        try:
            return await self._route(request, handler, call, known)
        except ApiError as exc:
            return exc.response()
        except Exception as exc:
            # A bug in the double must fail fast: a 5xx would make discord.py retry for ~25 seconds.
            log.exception("DISCORD DOUBLE: internal error handling %s %s", call.method, call.path)
            call.fault = f"double error: {exc!r}"
            self.world.internal_errors.append(f"{call.method} {call.path}: {exc!r}")
            body = {"message": f"Discord double internal error: {exc!r}", "code": 0}
            return json_body_response(body, status=400)

    async def _route(
        self, request: web.Request, handler: Handler, call: RecordedCall, known: bool
    ) -> web.StreamResponse:
        world = self.world
        parsed = await parse_body(request)
        request[PARSED_BODY] = parsed
        call.json, call.files = parsed.json, parsed.files
        if not known:
            call.fault = "unknown route"
            message = f"Unknown route: {call.method} {call.path} (not implemented by the Discord double)"
            log.error("DISCORD DOUBLE: %s", message)
            return json_body_response({"message": message, "code": 0}, status=404)
        if not call.path.startswith(_NO_AUTH_PREFIXES) and request.headers.get("Authorization") != f"Bot {world.token}":
            call.fault = "unauthorized"
            return json_body_response({"message": "401: Unauthorized", "code": 0}, status=401)
        hold = world.faults.hold_for(call.method, call.route, call.path)
        if hold is not None:
            await hold.wait(world.changed)
        rule = world.faults.take(call.method, call.route, call.path)
        if rule is not None:
            call.fault = rule.label
            return rule.response()
        if world.rate_limiter is None:
            return await handler(request)
        decision = world.rate_limiter.admit(call.method, call.route, call.path, call.params)
        if not decision.allowed:
            call.fault = f"rate limited ({'global' if decision.is_global else 'route'}) {decision.retry_after:.3f}s"
            return decision.refusal()
        response = await handler(request)
        response.headers.update(decision.headers())
        return response
