"""The news agencies and institutions the demo's reports cite."""

from __future__ import annotations

from cms.demo.spec import Source

REUTERS = Source("Reuters", "https://www.reuters.com")
AFP = Source("AFP", "https://www.afp.com")
AP = Source("Associated Press", "https://apnews.com")

AGENCIES = {REUTERS.name, AFP.name, AP.name}
