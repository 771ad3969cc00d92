"""Viewer, profile and account deletion."""

from __future__ import annotations

import strawberry

from app.context import Info
from app.schema.accounts import DeleteAccountPayload, ProfileInput, ViewerPayload
from app.schema.base import user_errors
from app.schema.viewer import Viewer


@strawberry.type
class AccountQuery:
    @strawberry.field
    def viewer(self, info: Info) -> Viewer | None:
        account = info.context.viewer
        return Viewer.of(info, account) if account is not None else None


@strawberry.type
class AccountMutation:
    @strawberry.mutation
    async def update_profile(self, info: Info, input: ProfileInput) -> ViewerPayload:
        account = info.context.require_viewer()
        result = await info.context.services.accounts.update_profile(account, input.to_change())
        if result.account is None:
            return ViewerPayload(viewer=None, user_errors=user_errors(result.violations))
        info.context.viewer = result.account
        return ViewerPayload(viewer=Viewer.of(info, result.account), user_errors=[])

    @strawberry.mutation
    async def delete_account(self, info: Info, confirm: bool) -> DeleteAccountPayload:
        account = info.context.require_viewer()
        violations = await info.context.services.accounts.delete(account, confirm)
        return DeleteAccountPayload(deleted=not violations, user_errors=user_errors(violations))
