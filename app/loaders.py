"""DataLoaders of one request: every list of references is loaded in one batch per kind."""

from __future__ import annotations

from functools import cached_property

from strawberry.dataloader import DataLoader

from app.domain.accounts import Account
from app.domain.verticals import Vertical
from app.store.repositories import Repositories


class Loaders:
    """Built per request, so nothing cached outlives the request or crosses viewers."""

    def __init__(self, repos: Repositories) -> None:
        self._repos = repos

    @cached_property
    def vertical_by_key(self) -> DataLoader[str, Vertical | None]:
        return DataLoader(load_fn=self._repos.verticals.get_many)

    @cached_property
    def account_by_key(self) -> DataLoader[str, Account | None]:
        return DataLoader(load_fn=self._repos.accounts.get_many)
