"""The runner: a GraphQL request from identity to result, the same for HTTP and WebSocket."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import ExecutionResult, GraphQLSchema, OperationDefinitionNode, OperationType, execute
from graphql.execution.values import VariableValues, get_variable_values

from app.auth.port import AuthUnavailable, Identity, InvalidToken
from app.context import Context
from app.domain.accounts import Account
from app.domain.ids import key_of
from app.domain.locales import negotiate
from app.edge.apq import HashStore
from app.edge.compiled import CompiledPlans
from app.edge.documents import DocumentCache, Prepared, TooManyTokens, sha256_hex
from app.edge.errors import error_body, format_request_error
from app.edge.limits import MAX_ALIASES, MAX_COST, MAX_DEPTH, MAX_TOKENS, CostCalculator
from app.edge.outcomes import Refusal
from app.edge.params import Params
from app.edge.ratelimit import RateLimiter, Throttle
from app.ports import Ports
from app.services.accounts import RevokedToken
from app.services.container import Services
from app.settings import Settings
from app.stats import RequestStats
from app.store.port import StoreUnavailable

log = logging.getLogger("buyer_api.edge")

COSTS_KEPT = 10_000


@dataclass(frozen=True)
class Meta:
    """What the transport knows of the caller."""

    authorization: str | None
    accept_language: str | None
    currency_header: str | None
    client_ip: str
    request_id: str


@dataclass
class Ready:
    """A request that passed every check and is about to run."""

    prepared: Prepared
    operation: OperationDefinitionNode
    variables: dict[str, Any]
    cost: int
    calculator: CostCalculator
    throttle: Throttle | None = None
    coerced: dict[str, Any] = field(default_factory=dict)
    """The variables as the schema reads them (defaults filled in): equal requests have equal ones."""
    canonical: bytes = b"{}"
    """`coerced` as JSON with sorted keys."""

    def actual_cost(self, data: dict[str, Any] | None) -> int:
        return self.calculator.actual_cost(self.operation, data)


def unauthorized(reason: str) -> Refusal:
    return Refusal(
        401,
        [error_body("UNAUTHENTICATED", f"The token is not valid ({reason}); sign in again.")],
        {"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class Runner:
    def __init__(
        self,
        schema: GraphQLSchema,
        settings: Settings,
        ports: Ports,
        services: Services,
        documents: DocumentCache,
        apq: HashStore,
        limiter: RateLimiter,
        compiled: bool = True,
    ) -> None:
        self.schema = schema
        # Prepared documents run as compiled plans (app/edge/compiled); False runs graphql-core's execute.
        self.plans = CompiledPlans(schema) if compiled else None
        if self.plans is not None:
            self.plans.warm(documents)
        self.settings = settings
        self.ports = ports
        self.services = services
        self.documents = documents
        self._apq = apq
        self._limiter = limiter
        self._costs: OrderedDict[tuple[str, str, bytes], int] = OrderedDict()

    async def identify(self, authorization: str | None) -> Identity | None:
        """None when anonymous; a present but bad token is never treated as anonymous."""
        if authorization is None:
            return None
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("malformed Authorization header")
        try:
            return await self.ports.verifier.verify(token.strip())
        except InvalidToken as error:
            raise unauthorized(error.reason) from None
        except AuthUnavailable:
            raise Refusal(
                503, [error_body("SERVICE_UNAVAILABLE", "Sign-in cannot be checked right now.")]
            ) from None

    async def sign_in(self, identity: Identity | None) -> Account | None:
        if identity is None:
            return None
        supplier_key = key_of(identity.supplier_id, "Supplier") if identity.supplier_id else None
        try:
            return await self.services.accounts.sign_in(
                identity.subject, identity.role, supplier_key, identity.issued_at
            )
        except RevokedToken:
            raise unauthorized("the account was deleted") from None
        except StoreUnavailable:
            raise Refusal(503, [error_body("SERVICE_UNAVAILABLE", "The store is unavailable.")]) from None

    async def prepare(self, params: Params, *, method: str) -> Ready:
        prepared = await self._document(params)
        if prepared.errors:
            code = (
                "GRAPHQL_PARSE_FAILED"
                if prepared.document is None and _is_syntax(prepared)
                else "GRAPHQL_VALIDATION_FAILED"
            )
            raise Refusal(400, [format_request_error(e, code) for e in prepared.errors], json_status=200)
        operation = prepared.operation(params.operation_name)
        if operation is None:
            raise Refusal(400, [error_body("BAD_USER_INPUT", "Name the operation to run (operationName).")])
        if method == "GET" and operation.operation is not OperationType.QUERY:
            raise Refusal(
                405, [error_body("BAD_USER_INPUT", "Only queries may be sent with GET.")], {"Allow": "POST"}
            )
        shape = prepared.shapes[operation.name.value if operation.name else None]
        if shape.depth > MAX_DEPTH:
            raise _too_complex(
                f"Depth {shape.depth} exceeds the limit of {MAX_DEPTH}.", "depth", shape.depth, MAX_DEPTH
            )
        if shape.aliases > MAX_ALIASES:
            raise _too_complex(
                f"{shape.aliases} aliases exceed the limit of {MAX_ALIASES}.",
                "aliases",
                shape.aliases,
                MAX_ALIASES,
            )
        variables = self._coerce(operation, params.variables or {})
        canonical = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS, default=repr)
        calculator = CostCalculator(self.schema, prepared.fragments, variables, prepared.counted)
        cost = self._cost(prepared, operation, canonical, calculator)
        if cost > MAX_COST:
            raise _too_complex(f"Cost {cost} exceeds the limit of {MAX_COST}.", "cost", cost, MAX_COST)
        raw = params.variables or {}
        return Ready(prepared, operation, raw, cost, calculator, coerced=variables, canonical=canonical)

    def _cost(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        canonical: bytes,
        calculator: CostCalculator,
    ) -> int:
        """The walk is most of what a cached answer costs, and its result depends only on the document,
        the operation and the variables: worked out once for each."""
        key = (prepared.text, operation.name.value if operation.name else "", canonical)
        cost = self._costs.get(key)
        if cost is None:
            cost = calculator.operation_cost(operation)
            self._costs[key] = cost
            if len(self._costs) > COSTS_KEPT:
                self._costs.popitem(last=False)
        return cost

    async def throttle(self, ready: Ready, identity: Identity | None, client_ip: str) -> None:
        key = f"user:{identity.subject}" if identity is not None else f"ip:{client_ip}"
        throttle = await self._limiter.take(key, ready.cost)
        ready.throttle = throttle
        if not throttle.allowed:
            wait = throttle.retry_after_seconds
            raise Refusal(
                429,
                [
                    error_body(
                        "RATE_LIMITED", f"Too many requests; retry in {wait} s.", retryAfterSeconds=wait
                    )
                ],
                {"Retry-After": str(wait)},
            )

    async def display(self, account: Account | None, meta: Meta) -> tuple[str, str]:
        """The negotiated locale and display currency: what, besides the viewer, changes an answer."""
        return negotiate(meta.accept_language), await self._currency(account, meta.currency_header)

    async def context(self, account: Account | None, meta: Meta, stats: RequestStats | None) -> Context:
        locale, currency = await self.display(account, meta)
        return Context(
            settings=self.settings,
            ports=self.ports,
            services=self.services,
            viewer=account,
            locale=locale,
            currency=currency,
            request_id=meta.request_id,
            client_key=account.key if account is not None else f"ip:{meta.client_ip}",
            stats=stats,
        )

    async def execute(self, ready: Ready, context: Context) -> ExecutionResult:
        if self.plans is not None:
            return await self.plans.execute(ready.prepared, ready.operation, context, ready.variables)
        result = execute(
            self.schema,
            ready.prepared.document,  # type: ignore[arg-type]
            context_value=context,
            variable_values=ready.variables,
            operation_name=ready.operation.name.value if ready.operation.name else None,
        )
        if not isinstance(result, ExecutionResult):
            result = await result
        return result

    async def _currency(self, account: Account | None, header: str | None) -> str:
        """The profile's currency when signed in, else X-Currency when we carry it, else USD."""
        if account is not None:
            return account.currency or "USD"
        wanted = (header or "").strip().upper()
        if len(wanted) != 3 or wanted == "USD":
            return "USD"
        return wanted if wanted in await self.ports.repos.rates.current() else "USD"

    async def _document(self, params: Params) -> Prepared:
        try:
            return await self._find_document(params)
        except TooManyTokens:
            raise _too_complex(
                f"The document has more than {MAX_TOKENS} tokens.", "tokens", MAX_TOKENS + 1, MAX_TOKENS
            ) from None

    async def _find_document(self, params: Params) -> Prepared:
        production = self.settings.production
        named_id = params.document_id or params.persisted_hash
        if named_id is not None:
            trusted = self.documents.pinned(named_id)
            if trusted is not None:
                return trusted
        if production:
            if params.query is not None and self.documents.is_trusted_text(params.query):
                return self.documents.prepare(params.query)
            raise Refusal(
                400, [error_body("PERSISTED_QUERY_NOT_ALLOWED", "Only the documents the apps ship may run.")]
            )
        if params.persisted_hash is not None:
            return await self._persisted(params.persisted_hash, params.query)
        if params.document_id is not None and params.query is None:
            raise Refusal(400, [error_body("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")])
        if params.query is None:
            raise Refusal(400, [error_body("BAD_USER_INPUT", "Send a query.")])
        return self.documents.prepare(params.query)

    async def _persisted(self, sha: str, query: str | None) -> Prepared:
        """Apollo's automatic persisted queries: the hash alone, or the hash with its text to register."""
        if query is None:
            stored = await self._apq.get(sha)
            if stored is None:
                raise Refusal(200, [error_body("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")])
            return self.documents.prepare(stored)
        if sha256_hex(query) != sha.lower():
            raise Refusal(400, [error_body("BAD_USER_INPUT", "provided sha does not match query")])
        prepared = self.documents.prepare(query)
        if not prepared.errors:
            await self._apq.put(sha.lower(), query)
        return prepared

    def _coerce(self, operation: OperationDefinitionNode, raw: dict[str, Any]) -> dict[str, Any]:
        coerced = get_variable_values(self.schema, operation.variable_definitions or [], raw, max_errors=10)
        if isinstance(coerced, list):
            raise Refusal(400, [format_request_error(e, "BAD_USER_INPUT") for e in coerced], json_status=200)
        # graphql-core 3.3 returns the coerced values with where each came from; we need the values.
        values: dict[str, Any] = coerced.coerced if isinstance(coerced, VariableValues) else coerced
        return values


def _is_syntax(prepared: Prepared) -> bool:
    return any(type(e).__name__ == "GraphQLSyntaxError" for e in prepared.errors)


def _too_complex(message: str, limit: str, figure: int, maximum: int) -> Refusal:
    error = error_body("QUERY_TOO_COMPLEX", message, limit=limit, figure=figure, maximum=maximum)
    return Refusal(400, [error], json_status=200)
