"""Push and in-app texts per notification kind, in en, zh, es, ru, pt, fr and ar.

A template is filled from the NotifyRequest's params (app/domain/notifications.py lists them);
a missing param is left empty rather than failing, so a writer's slip never stops a push.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from app.domain.locales import normalize_locale
from app.domain.notifications import NotificationKind
from app.domain.notifications_rules import preview

K = NotificationKind

# (title, body) per kind per language; {party}, {message}, {number}, {status}, {title} (or title_<language>).
TEMPLATES: dict[str, dict[NotificationKind, tuple[str, str]]] = {
    "en": {
        K.NEW_INQUIRY: ("New inquiry from {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("{party} replied", "{message}"),
        K.BUYER_REPLIED: ("{party} replied", "{message}"),
        K.NEW_ORDER: ("New order {number}", "{party} placed an order."),
        K.ORDER_UPDATE: ("Order {number} updated", "{party}: {status}"),
        K.SHIPMENT_UPDATE: ("Shipment update for order {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("New article", "{title}"),
    },
    "zh": {
        K.NEW_INQUIRY: ("来自{party}的新询盘", "{message}"),
        K.SUPPLIER_REPLIED: ("{party}已回复", "{message}"),
        K.BUYER_REPLIED: ("{party}已回复", "{message}"),
        K.NEW_ORDER: ("新订单 {number}", "{party}下了订单。"),
        K.ORDER_UPDATE: ("订单 {number} 已更新", "{party}：{status}"),
        K.SHIPMENT_UPDATE: ("订单 {number} 物流更新", "{status}"),
        K.ARTICLE_PUBLISHED: ("新文章", "{title}"),
    },
    "es": {
        K.NEW_INQUIRY: ("Nueva consulta de {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("{party} respondió", "{message}"),
        K.BUYER_REPLIED: ("{party} respondió", "{message}"),
        K.NEW_ORDER: ("Nuevo pedido {number}", "{party} hizo un pedido."),
        K.ORDER_UPDATE: ("Pedido {number} actualizado", "{party}: {status}"),
        K.SHIPMENT_UPDATE: ("Novedades del envío del pedido {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("Nuevo artículo", "{title}"),
    },
    "ru": {
        K.NEW_INQUIRY: ("Новый запрос от {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("{party} ответил(а)", "{message}"),
        K.BUYER_REPLIED: ("{party} ответил(а)", "{message}"),
        K.NEW_ORDER: ("Новый заказ {number}", "{party} оформил(а) заказ."),
        K.ORDER_UPDATE: ("Заказ {number} обновлён", "{party}: {status}"),
        K.SHIPMENT_UPDATE: ("Доставка заказа {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("Новая статья", "{title}"),
    },
    "pt": {
        K.NEW_INQUIRY: ("Nova consulta de {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("{party} respondeu", "{message}"),
        K.BUYER_REPLIED: ("{party} respondeu", "{message}"),
        K.NEW_ORDER: ("Novo pedido {number}", "{party} fez um pedido."),
        K.ORDER_UPDATE: ("Pedido {number} atualizado", "{party}: {status}"),
        K.SHIPMENT_UPDATE: ("Atualização do envio do pedido {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("Novo artigo", "{title}"),
    },
    "fr": {
        K.NEW_INQUIRY: ("Nouvelle demande de {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("{party} a répondu", "{message}"),
        K.BUYER_REPLIED: ("{party} a répondu", "{message}"),
        K.NEW_ORDER: ("Nouvelle commande {number}", "{party} a passé une commande."),
        K.ORDER_UPDATE: ("Commande {number} mise à jour", "{party} : {status}"),
        K.SHIPMENT_UPDATE: ("Suivi de la commande {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("Nouvel article", "{title}"),
    },
    "ar": {
        K.NEW_INQUIRY: ("استفسار جديد من {party}", "{message}"),
        K.SUPPLIER_REPLIED: ("ردّ {party}", "{message}"),
        K.BUYER_REPLIED: ("ردّ {party}", "{message}"),
        K.NEW_ORDER: ("طلب جديد {number}", "قدّم {party} طلبًا."),
        K.ORDER_UPDATE: ("تم تحديث الطلب {number}", "{party}: {status}"),
        K.SHIPMENT_UPDATE: ("تحديث شحن الطلب {number}", "{status}"),
        K.ARTICLE_PUBLISHED: ("مقال جديد", "{title}"),
    },
}

BUYER_FROM = {
    "en": "Buyer from {country}",
    "zh": "来自{country}的买家",
    "es": "Comprador de {country}",
    "ru": "Покупатель из {country}",
    "pt": "Comprador de {country}",
    "fr": "Acheteur de {country}",
    "ar": "مشترٍ من {country}",
}
A_BUYER = {
    "en": "A buyer",
    "zh": "一位买家",
    "es": "Un comprador",
    "ru": "Покупатель",
    "pt": "Um comprador",
    "fr": "Un acheteur",
    "ar": "مشترٍ",
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def party_name(params: Mapping[str, str], language: str) -> str:
    """The other party: its name, else "Buyer from COUNTRY", else "A buyer"."""
    if params.get("party"):
        return params["party"]
    if params.get("party_country"):
        return BUYER_FROM[language].format(country=params["party_country"])
    return A_BUYER[language]


def render(kind: NotificationKind, params: Mapping[str, str], locale: str | None) -> tuple[str, str]:
    """(title, body) in the locale's language (English when we do not carry it); bodies quoting a
    message are cut to 120 grapheme clusters."""
    language = normalize_locale(locale)
    title, body = TEMPLATES[language][kind]
    values = _Blank(params)
    values["party"] = party_name(params, language)
    values["message"] = preview(params.get("message", ""))
    # Articles carry their title per language as "title_<language>".
    values["title"] = params.get(f"title_{language}") or params.get("title", "")
    formatter = string.Formatter()
    return formatter.vformat(title, (), values).strip(), formatter.vformat(body, (), values).strip()
