"""GraphQL over WebSocket (graphql-transport-ws): auth at init, the same limits, visibility per subscribe."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, OperationType, subscribe
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from app.auth.port import Identity
from app.broker.port import Broker, BrokerError
from app.domain.accounts import Account
from app.edge.errors import error_body, format_execution_error
from app.edge.outcomes import Refusal
from app.edge.params import params_from_body
from app.edge.runner import Meta, Ready, Runner
from app.services.accounts import ACCOUNT_CLOSED_CHANNEL

log = logging.getLogger("buyer_api.ws")

PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT_SECONDS = 10.0
MAX_SUBSCRIPTIONS = 50


class Connection:
    """One socket: its viewer, its running operations, and the deadline of its token."""

    def __init__(self, websocket: WebSocket, runner: Runner, registry: SocketRegistry) -> None:
        self.websocket = websocket
        self._runner = runner
        self._registry = registry
        self._operations: dict[str, asyncio.Task[None]] = {}
        self._expiry: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()
        self.identity: Identity | None = None
        self.account: Account | None = None
        self._meta: Meta | None = None

    async def serve(self) -> None:
        await self.websocket.accept(subprotocol=PROTOCOL)
        try:
            if not await self._initialise():
                return
            await self._loop()
        except WebSocketDisconnect:
            pass
        finally:
            for task in [*self._operations.values(), *([self._expiry] if self._expiry else [])]:
                task.cancel()
            self._registry.forget(self)

    async def close(self, code: int, reason: str) -> None:
        if self.websocket.application_state is WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close(code, reason)

    async def _initialise(self) -> bool:
        try:
            message = await asyncio.wait_for(self.websocket.receive_json(), INIT_TIMEOUT_SECONDS)
        except TimeoutError:
            await self.close(4408, "Connection initialisation timeout")
            return False
        except (ValueError, KeyError):
            await self.close(4400, "Invalid message")
            return False
        if not isinstance(message, dict) or message.get("type") != "connection_init":
            await self.close(4401, "Unauthorized")
            return False
        payload = message.get("payload") or {}
        authorization = payload.get("authorization") if isinstance(payload, dict) else None
        try:
            self.identity = await self._runner.identify(
                authorization if isinstance(authorization, str) else None
            )
            self.account = await self._runner.sign_in(self.identity)
        except Refusal:
            await self.close(4403, "Forbidden")
            return False
        self._meta = _meta(self.websocket, authorization)
        self._registry.remember(self)
        if self.identity is not None:
            self._expiry = asyncio.create_task(self._expire_at(self.identity.expires_at))
        await self._send({"type": "connection_ack"})
        return True

    async def _expire_at(self, expires_at: int) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self.close(4403, "Forbidden")

    async def _loop(self) -> None:
        while True:
            try:
                message = await self.websocket.receive_json()
            except ValueError:
                await self.close(4400, "Invalid message")
                return
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await self._send({"type": "pong"})
            elif kind == "pong":
                continue
            elif kind == "connection_init":
                await self.close(4429, "Too many initialisation requests")
                return
            elif kind == "subscribe" and isinstance(message.get("id"), str):
                if not await self._start(message["id"], message.get("payload")):
                    return
            elif kind == "complete" and isinstance(message.get("id"), str):
                task = self._operations.pop(message["id"], None)
                if task is not None:
                    task.cancel()
            else:
                await self.close(4400, "Invalid message")
                return

    async def _start(self, operation_id: str, payload: Any) -> bool:
        if operation_id in self._operations:
            await self.close(4409, f"Subscriber for {operation_id} already exists")
            return False
        if len(self._operations) >= MAX_SUBSCRIPTIONS:
            await self._send_error(
                operation_id,
                [error_body("BAD_USER_INPUT", f"At most {MAX_SUBSCRIPTIONS} operations per connection.")],
            )
            return True
        task = asyncio.create_task(self._run(operation_id, payload))
        self._operations[operation_id] = task
        task.add_done_callback(lambda _: self._operations.pop(operation_id, None))
        return True

    async def _run(self, operation_id: str, payload: Any) -> None:
        assert self._meta is not None
        try:
            params = params_from_body(payload)
            ready = await self._runner.prepare(params, method="WS")
            await self._runner.throttle(ready, self.identity, self._meta.client_ip)
        except Refusal as refusal:
            await self._send_error(operation_id, refusal.errors)
            return
        context = await self._runner.context(self.account, self._meta, None)
        if ready.operation.operation is not OperationType.SUBSCRIPTION:
            result = await self._runner.execute(ready, context)
            await self._send_result(operation_id, result)
            await self._send({"type": "complete", "id": operation_id})
            return
        await self._stream(operation_id, ready, context)

    async def _stream(self, operation_id: str, ready: Ready, context: Any) -> None:
        source = await _subscribe(self._runner, ready, context)
        if isinstance(source, ExecutionResult):
            errors = [format_execution_error(e, context.request_id) for e in source.errors or []]
            await self._send_error(operation_id, errors)
            return
        try:
            async for result in source:
                await self._send_result(operation_id, result)
        finally:
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]
        await self._send({"type": "complete", "id": operation_id})

    async def _send_result(self, operation_id: str, result: ExecutionResult) -> None:
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            request_id = self._meta.request_id if self._meta else "-"
            body["errors"] = [format_execution_error(e, request_id) for e in result.errors]
        await self._send({"type": "next", "id": operation_id, "payload": body})

    async def _send_error(self, operation_id: str, errors: list[dict[str, Any]]) -> None:
        await self._send({"type": "error", "id": operation_id, "payload": errors})

    async def _send(self, message: dict[str, Any]) -> None:
        async with self._send_lock:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.send_json(message)


async def _subscribe(
    runner: Runner, ready: Ready, context: Any
) -> AsyncIterator[ExecutionResult] | ExecutionResult:
    result = subscribe(
        runner.schema,
        ready.prepared.document,  # type: ignore[arg-type]
        context_value=context,
        variable_values=ready.variables,
        operation_name=ready.operation.name.value if ready.operation.name else None,
    )
    if isinstance(result, ExecutionResult | AsyncIterator):
        return result
    return await result


def _meta(websocket: WebSocket, authorization: Any) -> Meta:
    peer = websocket.client.host if websocket.client else "unknown"
    return Meta(
        authorization=authorization if isinstance(authorization, str) else None,
        accept_language=websocket.headers.get("accept-language"),
        currency_header=websocket.headers.get("x-currency"),
        client_ip=peer,
        request_id=secrets.token_hex(8),
    )


class SocketRegistry:
    """Open sockets by account, so a deleted account's sockets close at once."""

    def __init__(self) -> None:
        self._by_account: dict[str, set[Connection]] = {}

    def remember(self, connection: Connection) -> None:
        if connection.account is not None:
            self._by_account.setdefault(connection.account.key, set()).add(connection)

    def forget(self, connection: Connection) -> None:
        if connection.account is not None:
            self._by_account.get(connection.account.key, set()).discard(connection)

    async def close_account(self, account_key: str) -> None:
        for connection in list(self._by_account.pop(account_key, set())):
            await connection.close(4403, "Forbidden")

    async def follow_closures(self, broker: Broker) -> None:
        """Closes the sockets of accounts deleted on any instance; resubscribes after broker outages."""
        while True:
            try:
                async with broker.subscribe(ACCOUNT_CLOSED_CHANNEL) as messages:
                    async for message in messages:
                        await self.close_account(message.decode())
            except BrokerError:
                log.warning("account-closed subscription lost; retrying")
                await asyncio.sleep(1.0)


class GraphQLWebSocket:
    def __init__(self, runner: Runner, registry: SocketRegistry) -> None:
        self._runner = runner
        self._registry = registry

    async def __call__(self, websocket: WebSocket) -> None:
        await Connection(websocket, self._runner, self._registry).serve()
