"""DeviceRepository: each user's push addresses (secrets: stored, never returned by the API)."""

from __future__ import annotations

from collections.abc import Sequence

from app.domain.devices import Device
from app.store.port import Collection, Database, Document


def device_from_doc(doc: Document) -> Device:
    return Device(
        key=doc["_id"],
        user_key=doc["user_key"],
        address=doc["address"],
        address_kind=doc["address_kind"],
        platform=doc["platform"],
        locale=doc.get("locale") or "en",
        timezone=doc.get("timezone"),
        app_version=doc.get("app_version"),
        created_at=doc["created_at"],
        last_seen_at=doc["last_seen_at"],
    )


def device_to_doc(device: Device) -> Document:
    return {
        "_id": device.key,
        "user_key": device.user_key,
        "address": device.address,
        "address_kind": device.address_kind,
        "platform": device.platform,
        "locale": device.locale,
        "timezone": device.timezone,
        "app_version": device.app_version,
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
    }


class DeviceRepository:
    def __init__(self, database: Database) -> None:
        self._devices: Collection = database.collection("devices")

    async def ensure_indexes(self) -> None:
        await self._devices.create_index([("user_key", 1), ("last_seen_at", -1)])

    async def get(self, key: str) -> Device | None:
        doc = await self._devices.find_one({"_id": key})
        return device_from_doc(doc) if doc else None

    async def get_many(self, keys: Sequence[str]) -> list[Device | None]:
        found = {d["_id"]: d async for d in self._devices.find({"_id": {"$in": list(keys)}})}
        return [device_from_doc(found[k]) if k in found else None for k in keys]

    async def of_user(self, user_key: str) -> list[Device]:
        """Most recently seen first."""
        found = self._devices.find({"user_key": user_key}, sort=[("last_seen_at", -1), ("_id", -1)])
        return [device_from_doc(d) async for d in found]

    async def of_users(self, user_keys: Sequence[str]) -> list[Device]:
        found = self._devices.find(
            {"user_key": {"$in": list(user_keys)}}, sort=[("last_seen_at", -1), ("_id", -1)]
        )
        return [device_from_doc(d) async for d in found]

    async def save(self, device: Device) -> None:
        doc = device_to_doc(device)
        await self._devices.update_one(
            {"_id": device.key}, {"$set": {k: v for k, v in doc.items() if k != "_id"}}, upsert=True
        )

    async def delete(self, key: str) -> int:
        return await self._devices.delete_one({"_id": key})

    async def delete_many(self, keys: Sequence[str]) -> int:
        return await self._devices.delete_many({"_id": {"$in": list(keys)}}) if keys else 0
