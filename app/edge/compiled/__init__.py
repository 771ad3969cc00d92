"""Compiled execution: prepared documents run as precomputed plans instead of graphql-core's generic walk.

Same results as graphql-core's `execute` (data, errors with message, path, locations and original
exception), several times faster; what a plan does not cover falls back to `execute`.
"""

from app.edge.compiled.compile import Unsupported
from app.edge.compiled.engine import CompiledPlans

__all__ = ["CompiledPlans", "Unsupported"]
