"""AccountRepository: the users collection (one live account per auth subject)."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.accounts import Account, Role
from app.store.port import Collection, Database, Document


def account_from_doc(doc: Document) -> Account:
    return Account(
        key=doc["_id"],
        subject=doc["subject"],
        role=Role(doc["role"]),
        supplier_key=doc.get("supplier_key"),
        display_name=doc.get("display_name"),
        country=doc.get("country"),
        locale=doc.get("locale"),
        currency=doc.get("currency"),
        created_at=doc["created_at"],
        deleted_at=doc.get("deleted_at"),
    )


def account_to_doc(account: Account) -> Document:
    return {
        "_id": account.key,
        "subject": account.subject,
        "role": account.role.value,
        "supplier_key": account.supplier_key,
        "display_name": account.display_name,
        "country": account.country,
        "locale": account.locale,
        "currency": account.currency,
        "created_at": account.created_at,
        "deleted_at": account.deleted_at,
    }


class AccountRepository:
    def __init__(self, database: Database) -> None:
        self._users: Collection = database.collection("users")

    async def ensure_indexes(self) -> None:
        await self._users.create_index([("subject", 1), ("created_at", -1)])
        await self._users.create_index([("supplier_key", 1), ("role", 1)])

    async def latest_for_subject(self, subject: str) -> Account | None:
        doc = await self._users.find_one({"subject": subject}, sort=[("created_at", -1)])
        return account_from_doc(doc) if doc else None

    async def get_many(self, keys: Sequence[str]) -> list[Account | None]:
        found = {d["_id"]: d async for d in self._users.find({"_id": {"$in": list(keys)}})}
        return [account_from_doc(found[k]) if k in found else None for k in keys]

    async def insert(self, account: Account) -> None:
        await self._users.insert_one(account_to_doc(account))

    async def save(self, account: Account) -> None:
        doc = account_to_doc(account)
        await self._users.update_one(
            {"_id": account.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}
        )

    async def supplier_user_keys(self, supplier_key: str) -> list[str]:
        query = {"supplier_key": supplier_key, "role": Role.SUPPLIER.value, "deleted_at": None}
        return [d["_id"] async for d in self._users.find(query)]
