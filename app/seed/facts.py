"""The facts the demo data follows (a copy of the platform's figures) and our translated vertical names."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class VerticalFact:
    slug: str
    hs: str
    share: float
    rising: float
    names: dict[str, str]


# Short names for the top export categories and a few of the fastest-rising ones (HS headings).
VERTICAL_NAMES: dict[str, tuple[str, dict[str, str]]] = {
    "94.01": (
        "seating",
        {
            "en": "Seating",
            "zh": "座椅",
            "es": "Asientos",
            "ru": "Сиденья",
            "pt": "Assentos",
            "fr": "Sièges",
            "ar": "مقاعد",
        },
    ),
    "94.03": (
        "furniture",
        {
            "en": "Furniture",
            "zh": "家具",
            "es": "Muebles",
            "ru": "Мебель",
            "pt": "Móveis",
            "fr": "Meubles",
            "ar": "أثاث",
        },
    ),
    "42.02": (
        "luggage-bags",
        {
            "en": "Luggage & Bags",
            "zh": "箱包",
            "es": "Equipaje y bolsos",
            "ru": "Сумки и чемоданы",
            "pt": "Malas e bolsas",
            "fr": "Bagages et sacs",
            "ar": "حقائب وأمتعة",
        },
    ),
    "94.05": (
        "lighting",
        {
            "en": "Lighting",
            "zh": "照明",
            "es": "Iluminación",
            "ru": "Освещение",
            "pt": "Iluminação",
            "fr": "Éclairage",
            "ar": "إضاءة",
        },
    ),
    "39.26": (
        "plastic-goods",
        {
            "en": "Plastic Goods",
            "zh": "塑料制品",
            "es": "Artículos de plástico",
            "ru": "Изделия из пластика",
            "pt": "Artigos de plástico",
            "fr": "Articles en plastique",
            "ar": "منتجات بلاستيكية",
        },
    ),
    "85.04": (
        "power-supplies",
        {
            "en": "Power Supplies",
            "zh": "电源",
            "es": "Fuentes de alimentación",
            "ru": "Блоки питания",
            "pt": "Fontes de alimentação",
            "fr": "Alimentations",
            "ar": "مزودات الطاقة",
        },
    ),
    "85.28": (
        "displays",
        {
            "en": "Monitors & Projectors",
            "zh": "显示器与投影仪",
            "es": "Monitores y proyectores",
            "ru": "Мониторы и проекторы",
            "pt": "Monitores e projetores",
            "fr": "Écrans et projecteurs",
            "ar": "شاشات وأجهزة عرض",
        },
    ),
    "85.44": (
        "cables",
        {
            "en": "Wire & Cable",
            "zh": "电线电缆",
            "es": "Cables",
            "ru": "Провода и кабели",
            "pt": "Fios e cabos",
            "fr": "Fils et câbles",
            "ar": "أسلاك وكابلات",
        },
    ),
    "84.71": (
        "computers",
        {
            "en": "Computers",
            "zh": "电脑",
            "es": "Computadoras",
            "ru": "Компьютеры",
            "pt": "Computadores",
            "fr": "Ordinateurs",
            "ar": "حواسيب",
        },
    ),
    "95.03": (
        "toys",
        {
            "en": "Toys",
            "zh": "玩具",
            "es": "Juguetes",
            "ru": "Игрушки",
            "pt": "Brinquedos",
            "fr": "Jouets",
            "ar": "ألعاب",
        },
    ),
    "95.06": (
        "sports-outdoor",
        {
            "en": "Sports & Outdoor",
            "zh": "运动户外",
            "es": "Deportes y aire libre",
            "ru": "Спорт и отдых",
            "pt": "Esportes e lazer",
            "fr": "Sports et plein air",
            "ar": "رياضة وأنشطة خارجية",
        },
    ),
    "85.43": (
        "electrical-machines",
        {
            "en": "Electrical Machines",
            "zh": "电气设备",
            "es": "Máquinas eléctricas",
            "ru": "Электрические машины",
            "pt": "Máquinas elétricas",
            "fr": "Machines électriques",
            "ar": "آلات كهربائية",
        },
    ),
    "85.18": (
        "audio",
        {
            "en": "Audio & Headphones",
            "zh": "音频耳机",
            "es": "Audio y auriculares",
            "ru": "Аудио и наушники",
            "pt": "Áudio e fones",
            "fr": "Audio et casques",
            "ar": "صوتيات وسماعات",
        },
    ),
    "85.07": (
        "batteries",
        {
            "en": "Batteries",
            "zh": "电池",
            "es": "Baterías",
            "ru": "Аккумуляторы",
            "pt": "Baterias",
            "fr": "Batteries",
            "ar": "بطاريات",
        },
    ),
    "85.17": (
        "phones-networking",
        {
            "en": "Phones & Networking",
            "zh": "通讯设备",
            "es": "Teléfonos y redes",
            "ru": "Телефоны и связь",
            "pt": "Telefones e redes",
            "fr": "Téléphones et réseaux",
            "ar": "هواتف وشبكات",
        },
    ),
    "22.02": (
        "soft-drinks",
        {
            "en": "Soft Drinks",
            "zh": "软饮料",
            "es": "Refrescos",
            "ru": "Безалкогольные напитки",
            "pt": "Refrigerantes",
            "fr": "Boissons sans alcool",
            "ar": "مشروبات غازية",
        },
    ),
    "51.06": (
        "wool-yarn",
        {
            "en": "Wool Yarn",
            "zh": "羊毛纱线",
            "es": "Hilo de lana",
            "ru": "Шерстяная пряжа",
            "pt": "Fio de lã",
            "fr": "Fil de laine",
            "ar": "غزل الصوف",
        },
    ),
    "73.01": (
        "steel-sections",
        {
            "en": "Steel Sections",
            "zh": "钢型材",
            "es": "Perfiles de acero",
            "ru": "Стальной профиль",
            "pt": "Perfis de aço",
            "fr": "Profilés en acier",
            "ar": "مقاطع فولاذية",
        },
    ),
}


@cache
def facts() -> dict[str, Any]:
    text = resources.files("app").joinpath("data/seed_facts.json").read_text()
    data: dict[str, Any] = json.loads(text)
    return data


def vertical_facts() -> list[VerticalFact]:
    """Top categories by export share, then the rising ones, with share and growth from the facts."""
    data = facts()
    shares = {c["hs"]: c["share"] for c in data["top_export_categories_2017"]}
    growth = {c["hs"]: c["growth"] for c in data["fastest_rising_categories_2017"]["items"]}
    ordered = [hs for hs in VERTICAL_NAMES if hs in shares] + [
        hs for hs in VERTICAL_NAMES if hs not in shares
    ]
    return [
        VerticalFact(
            slug=VERTICAL_NAMES[hs][0],
            hs=hs,
            share=shares.get(hs, 0.006),
            rising=growth.get(hs, 0.0),
            names=VERTICAL_NAMES[hs][1],
        )
        for hs in ordered
    ]


def supplier_provinces() -> list[str]:
    provinces: list[str] = facts()["top_supplier_provinces_2017"]
    return provinces


def buyer_markets() -> list[str]:
    markets: list[str] = facts()["top_markets_by_gmv_2017"]
    return markets


# Units per one USD: a fixed demo table, the one the operator would load for real.
DEMO_RATES: dict[str, str] = {
    "EUR": "0.92",
    "GBP": "0.79",
    "CNY": "7.10",
    "JPY": "150",
    "KRW": "1380",
    "INR": "83.2",
    "RUB": "92.5",
    "BRL": "5.05",
    "AUD": "1.52",
    "CAD": "1.36",
    "MXN": "17.1",
    "TRY": "32.4",
    "HKD": "7.82",
    "VND": "24500",
    "THB": "35.8",
    "PHP": "56.2",
    "IDR": "15600",
    "SAR": "3.75",
    "AED": "3.6725",
    "PKR": "279",
    "KWD": "0.308",
}
