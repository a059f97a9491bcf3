"""Profiles: a named set of SHACL shape files plus background vocabularies. Ours live in shapes/;
a user adds one as a folder of shape files under the profiles directory (CATALOGUE_PROFILES)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from catalogue.errors import InputError
from catalogue.i18n import texts

# shapes/ at the top of the checkout, installed as the package catalogue._shapes (pyproject.toml).
SHAPES = Path(str(resources.files("catalogue._shapes")))
_RDF_SUFFIXES = (".ttl", ".rdf", ".nt", ".jsonld", ".trig", ".owl")


class UnknownProfile(InputError):
    pass


@dataclass(frozen=True)
class Profile:
    """A named set of shape files (and code lists they need as background knowledge)."""

    name: str
    shapes: tuple[Path, ...]
    background: tuple[Path, ...] = ()
    standard: str = ""  # where the standard this profile checks is described
    builtin: bool = False  # ours: its title is the catalogues' `profile.{name}`

    def title(self, lang: str) -> str:
        return texts(lang).gettext(f"profile.{self.name}") if self.builtin else self.name


BUILTIN: dict[str, Profile] = {
    "dcat-ap-nl": Profile(
        "dcat-ap-nl", (SHAPES / "dcat-ap-nl.ttl",),
        builtin=True,
        standard="https://docs.geostandaarden.nl/dcat/dcat-ap-nl30/",
    ),
    "nl-sbb": Profile(
        "nl-sbb", (SHAPES / "nl-sbb.ttl",),
        builtin=True,
        standard="https://docs.geostandaarden.nl/nl-sbb/nl-sbb/",
    ),
    "api": Profile(
        "api", (SHAPES / "dcat-ap-nl.ttl", SHAPES / "api.ttl"),
        builtin=True,
        standard="https://github.com/developer-overheid-nl/dcat2don",
    ),
    "default": Profile(
        "default", (SHAPES / "dcat-ap-nl.ttl", SHAPES / "nl-sbb.ttl"),
        builtin=True,
        standard="https://docs.geostandaarden.nl/dcat/dcat-ap-nl30/",
    ),
}
DEFAULT_PROFILE = "default"


def user_profiles(folder: Path | None) -> dict[str, Profile]:
    """Each subfolder of `folder` is a profile: its shape files, plus a `background/` subfolder
    of vocabularies; a single shape file directly in `folder` is a profile named after it."""
    if folder is None or not folder.is_dir():
        return {}
    found: dict[str, Profile] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            shapes = _rdf_files(entry)
            if shapes:
                found[entry.name] = Profile(entry.name, shapes, _rdf_files(entry / "background"))
        elif entry.suffix in _RDF_SUFFIXES:
            found[entry.stem] = Profile(entry.stem, (entry,))
    return found


def find_profile(name: str, folder: Path | None = None) -> Profile:
    profiles = all_profiles(folder)
    if name not in profiles:
        raise UnknownProfile(f"no validation profile {name!r}; known: {', '.join(profiles)}")
    return profiles[name]


def all_profiles(folder: Path | None = None) -> dict[str, Profile]:
    return {**BUILTIN, **user_profiles(folder)}


def profile_from_files(files: list[Path], background: list[Path] | None = None) -> Profile:
    """An ad-hoc profile made of the user's own shape files (`--shapes`); a folder stands for
    its shape files, and the vocabularies in its `background/` subfolder."""
    background = list(background or [])
    for folder in [path for path in files if path.is_dir()]:
        background += _rdf_files(folder / "background")
    files = [found for path in files
             for found in (_rdf_files(path) if path.is_dir() else (path,))]
    if not files:
        raise UnknownProfile("no shape files (.ttl, .rdf, .nt, .jsonld, .trig, .owl) given")
    for path in [*files, *(background or [])]:
        if not path.is_file():
            raise UnknownProfile(f"{path}: no such shapes file")
    name = "+".join(path.stem for path in files)
    return Profile(name, tuple(files), tuple(background or ()))


def _rdf_files(folder: Path) -> tuple[Path, ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted(p for p in folder.iterdir() if p.suffix in _RDF_SUFFIXES))
