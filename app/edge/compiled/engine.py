"""Plans per prepared document: compiled on first use (trusted documents at start), run, or fallen back.

Plans live on the `Prepared` object itself, so they leave the document cache with their document. One
operation has one plan per combination of the variables its @skip/@include directives read.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from graphql import ExecutionResult, GraphQLSchema, OperationDefinitionNode, execute

from app.edge.compiled.compile import Compiler, Unsupported
from app.edge.compiled.execute import execute_operation
from app.edge.compiled.info import Run
from app.edge.compiled.plan import OperationPlan
from app.edge.compiled.values import EMPTY_VARIABLES, coerce_variables, directive_variables, plan_key
from app.edge.documents import DocumentCache, Prepared

log = logging.getLogger("buyer_api.compiled")

_ATTRIBUTE = "_compiled_plans"


@dataclass
class DocumentPlans:
    """The plans of one document: per operation name and @skip/@include key, a plan or why there is none."""

    directive_variables: tuple[str, ...]
    plans: dict[tuple[str | None, tuple[Any, ...]], OperationPlan | Unsupported] = field(default_factory=dict)


class CompiledPlans:
    """The runner's entry: `execute` runs a prepared operation by its plan, or by graphql-core without one."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self.fallbacks = 0

    def warm(self, documents: DocumentCache) -> int:
        """Compiles the trusted documents' operations whose plan no variable decides; returns how many."""
        count = 0
        # The cache exposes pinned documents by id only; its dict is read here rather than widening its API.
        pinned: dict[str, Prepared] = documents._pinned
        for prepared in {id(p): p for p in pinned.values()}.values():
            if prepared.document is None:
                continue
            plans = self._plans(prepared)
            if plans.directive_variables:
                continue
            for definition in prepared.document.definitions:
                if not isinstance(definition, OperationDefinitionNode):
                    continue
                if isinstance(self._plan(prepared, plans, definition, EMPTY_VARIABLES, ()), OperationPlan):
                    count += 1
        return count

    def plan_for(
        self, prepared: Prepared, operation: OperationDefinitionNode, variables: Any
    ) -> OperationPlan | Unsupported:
        plans = self._plans(prepared)
        return self._plan(
            prepared, plans, operation, variables, plan_key(plans.directive_variables, variables)
        )

    async def execute(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        context: Any,
        raw_variables: dict[str, Any] | None,
        root_value: Any = None,
    ) -> ExecutionResult:
        variables = coerce_variables(self.schema, operation, raw_variables)
        if isinstance(variables, list):
            return ExecutionResult(None, variables)  # as graphql-core answers variables that do not coerce
        plan = self.plan_for(prepared, operation, variables)
        if isinstance(plan, Unsupported):
            self.fallbacks += 1
            return await self.fallback(prepared, operation, context, raw_variables, root_value)
        return await execute_operation(Run(plan, context, variables, root_value), root_value)

    async def fallback(
        self,
        prepared: Prepared,
        operation: OperationDefinitionNode,
        context: Any,
        raw_variables: dict[str, Any] | None,
        root_value: Any = None,
    ) -> ExecutionResult:
        result = execute(
            self.schema,
            prepared.document,  # type: ignore[arg-type]
            root_value=root_value,
            context_value=context,
            variable_values=raw_variables,
            operation_name=operation.name.value if operation.name else None,
        )
        if not isinstance(result, ExecutionResult):
            result = await result
        return result

    def _plans(self, prepared: Prepared) -> DocumentPlans:
        plans: DocumentPlans | None = getattr(prepared, _ATTRIBUTE, None)
        if plans is None:
            assert prepared.document is not None
            plans = DocumentPlans(directive_variables(prepared.document))
            setattr(prepared, _ATTRIBUTE, plans)
        return plans

    def _plan(
        self,
        prepared: Prepared,
        plans: DocumentPlans,
        operation: OperationDefinitionNode,
        variables: Any,
        key: tuple[Any, ...],
    ) -> OperationPlan | Unsupported:
        name = operation.name.value if operation.name else None
        try:
            return plans.plans[(name, key)]
        except (KeyError, TypeError):
            pass
        try:
            plan: OperationPlan | Unsupported = Compiler(
                self.schema, operation, prepared.fragments, variables
            ).compile()
        except Unsupported as reason:
            log.info("operation %s runs on graphql-core: %s", name, reason)
            plan = reason
        # An unhashable @skip/@include value (cannot be: they are Booleans) would be compiled each time.
        with suppress(TypeError):
            plans.plans[(name, key)] = plan
        return plan
