"""Descriptions from OpenAPI documents are Markdown: rendered, with their raw HTML escaped."""

from __future__ import annotations

from bs4 import BeautifulSoup

from catalogue.web.templating import markdown


def test_markdown_links_and_breaks_render_and_raw_html_does_not() -> None:
    html = markdown("De [BAG API](https://example.org/bag) levert<br/>adressen. "
                    "<script>alert(1)</script> [x](javascript:alert(1))")
    page = BeautifulSoup(str(html), "html.parser")
    assert page.find("a", href="https://example.org/bag").get_text() == "BAG API"
    assert page.find("script") is None
    assert "<script>" in page.get_text()  # shown as text, not run
    assert not page.find_all("a", href=lambda h: h is not None and h.startswith("javascript"))


def test_a_description_indented_as_yaml_block_text_is_no_code_block() -> None:
    indent = " " * 40
    text = (f"Dit is de [BAG API](https://example.org/bag).\n{indent}<br/>\n"
            f"{indent}Meer informatie op [Kadaster](https://example.org/k).\n{indent}")
    html = BeautifulSoup(str(markdown(text)), "html.parser")
    assert html.find("pre") is None and html.find("code") is None
    assert [a["href"] for a in html.find_all("a")] == ["https://example.org/bag",
                                                     "https://example.org/k"]
