"""What every layout reader needs besides the text: the force names it may meet and the programmes it knows."""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from orchestration.inspections.programmes import Programme
from orchestration.inspections.records import ReportParseError


@dataclass(frozen=True)
class Context:
    force_codes_by_name: Mapping[str, str]  # lower-case force names and aliases -> ONS code
    programmes: Mapping[tuple[str, int], Programme]  # (lower-case programme, year) -> Programme

    def force_code(self, path: Path, name: str, where: str) -> str:
        code = self.force_codes_by_name.get(name.strip().lower())
        if code is None:
            raise ReportParseError(f"{path}: {where} names force '{name.strip()}', which is not a known force name "
                                   "or alias (seed reporting_body_aliases)")
        return code

    def programme(self, path: Path, programme: str, year: int) -> Programme:
        known = self.programmes.get((programme.lower(), year))
        if known is None:
            raise ReportParseError(f"{path}: programme '{programme}' is not in the seed inspection_programmes (its "
                                   "publication date, cycle and pillar are needed)")
        return known
