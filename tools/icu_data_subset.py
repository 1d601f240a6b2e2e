"""Build a libicudata holding only the ICU data themescope can use, for the wheel.

Debian's libicudata.so.72 is 31 MB (12 MB compressed), three quarters of the wheel.
themescope calls ICU for normalization (NFKC, NFKD, NFKC_Casefold), word segmentation
(root word break rules and dictionaries) and transliteration ("Any-Latin; Latin-ASCII;
Lower"), and decodes only UTF-8/UTF-16 itself. What is dropped here is data no themescope
feature reaches: collation, code page converters, time zones, currency/unit/language/
region display names, number spell-out rules, stringprep profiles and spoof-check data.
Locale bundles, break iterators, transliterators, normalization, character names and
properties stay. The tests (run on the wheel) include PyICU parity tests, PyICU carrying
the full data.

Usage: python tools/icu_data_subset.py SYSTEM_LIBICUDATA OUTPUT_DIR
Writes OUTPUT_DIR/libicudata.so.<major> (same soname, same entry point) with Debian's
icupkg and genccode (icu-devtools) and gcc.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from elftools.elf.elffile import ELFFile

# Item names (as `icupkg --list` prints them) that no themescope feature reads.
DROPPED = re.compile(
    r"^(coll|curr|lang|rbnf|region|unit|zone)/"  # collation, display names, formats
    r"|\.cnv$"  # code page converters
    r"|\.spp$"  # stringprep (IDNA) profiles
    r"|^confusables\.cfu$"  # spoof checking
    r"|^(zoneinfo64|metaZones|timezoneTypes|windowsZones)\.res$"  # time zones
)


def extract_common_data(library: Path) -> tuple[str, bytes]:
    """The icudt<NN>_dat symbol's bytes: ICU's whole data package (a .dat file's content)."""
    with library.open("rb") as file:
        elf = ELFFile(file)
        symbols = [s for s in elf.get_section_by_name(".dynsym").iter_symbols()
                   if re.fullmatch(r"icudt\d+_dat", s.name)]
        if len(symbols) != 1:
            raise SystemExit(f"{library}: expected one icudt<NN>_dat symbol, found {[s.name for s in symbols]}")
        symbol = symbols[0]
        for section in elf.iter_sections():
            start = section["sh_addr"]
            if start <= symbol["st_value"] < start + section["sh_size"]:
                file.seek(section["sh_offset"] + symbol["st_value"] - start)
                return symbol.name, file.read(symbol["st_size"])
    raise SystemExit(f"{library}: {symbol.name} is in no section")


def main() -> None:
    library, output = Path(sys.argv[1]), Path(sys.argv[2])
    output.mkdir(parents=True, exist_ok=True)
    entry, data = extract_common_data(library)  # entry: icudt72_dat
    name = entry.removesuffix("_dat") + "l"  # icudt72l: little-endian ASCII, as ICU names it
    # icupkg wants the file named as the package inside it: full/icudt72l.dat
    (output / "full").mkdir(exist_ok=True)
    full = output / "full" / f"{name}.dat"
    full.write_bytes(data)
    items = subprocess.run(["icupkg", "--list", str(full)], check=True, capture_output=True, text=True).stdout.split()
    dropped = [item for item in items if DROPPED.search(item)]
    (output / "dropped.txt").write_text("\n".join(dropped) + "\n")
    subset = output / f"{name}.dat"
    subset.unlink(missing_ok=True)
    subprocess.run(["icupkg", "--remove", str(output / "dropped.txt"), str(full), str(subset)], check=True)
    # An assembly file with the data under the entry point's name, then a library with
    # the same soname as Debian's, for libicuuc to find.
    subprocess.run(["genccode", "--assembly", "gcc", "--entrypoint", entry.removesuffix("_dat"),
                    "--destdir", str(output), str(subset)], check=True, capture_output=True)
    soname = re.search(r"libicudata\.so\.\d+", library.resolve().name)
    if soname is None:
        raise SystemExit(f"{library}: not a libicudata.so.<major>")
    assembly = output / f"{name}_dat.S"
    subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{soname.group(0)}", "-Wl,-z,noexecstack",
                    "-o", str(output / soname.group(0)), str(assembly)], check=True)
    full.unlink()
    (output / "full").rmdir()
    print(f"{output / soname.group(0)}: {len(items) - len(dropped)} of {len(items)} ICU data items, "
          f"{subset.stat().st_size / 1e6:.1f} MB of {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
