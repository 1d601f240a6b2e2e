"""Saved models and collections: one file, readable without themescope, loaded memory-mapped.

:meth:`Explorer.save <themescope.Explorer.save>`, the vectorizers' and
:class:`~themescope.SphericalKMeans`' ``save`` and their ``load`` class methods
write and read one file (``.tsc`` by convention) in this format:

- a zip archive, every member *stored* (not compressed);
- ``manifest.json``: ``{"format": "themescope", "format_version": 1,
  "themescope_version": ..., "kind": <class name>, "root": <node>}``, where a node
  is JSON: ``null``, a bool, number or str stands for itself; a list for a list;
  any other value is an object with one tag key: ``{"tuple": [...]}``,
  ``{"dict": [[key node, value node], ...]}``, ``{"set" | "frozenset": [...]}``,
  ``{"float": "nan" | "inf" | "-inf"}``, ``{"ndarray": member}``,
  ``{"strings": member, "offsets": member, "shape": [...]}`` (an array of str: the
  UTF-8 bytes of all of them, and int64 offsets, one more than the strings, in code
  points of the decoded text: string i is ``text[offsets[i]:offsets[i + 1]]``),
  ``{"str_int_dict": {"keys": strings node, "values": member, "value_type": ...}}``
  (a vocabulary: keys in order, their values), ``{"sparse": "csr_array" |
  "csr_matrix" | "csc_array" | "csc_matrix", "shape": [...], "data": member,
  "indices": member, "indptr": member}``, ``{"np_scalar": dtype, "value": node}``,
  ``{"np_type": name}``, ``{"np_dtype": str}``, pandas ``{"series": ...}``,
  ``{"dataframe": ...}``, ``{"index": ...}``, ``{"range_index": ...}``,
  ``{"categorical": ...}``, and ``{"object": "module:Class", "state": node}`` for a
  themescope or scikit-learn object (its ``__getstate__``);
- ``arrays/<n>.npy``: each array in NumPy's ``.npy`` format, its data 64-byte
  aligned in the file, so that a reader maps it instead of reading it.

In Python, without themescope: ``zipfile.ZipFile(path).read("manifest.json")``
and ``numpy.load(zipfile.ZipFile(path).open("arrays/0.npy"))``.

Loading maps the file once and every array is a read-only view of it (nothing is
read until used); the members' CRC-32 are checked first (``verify=True``, about
0.1 s per 100 MB), so a corrupted or truncated file raises :class:`ValueError`
naming what is wrong, as does a file of a newer format version. Writing goes to a
temporary file renamed over the target once complete: a crash, a kill or a full
disk leaves the previous file as it was.

Only data is saved: functions (a custom ``tokenizer``, say) raise ``ValueError``
naming the attribute, and loading creates only themescope and scikit-learn
objects, never runs code named by the file.
"""

from __future__ import annotations

import concurrent.futures
import functools
import importlib
import io
import json
import math
import mmap
import os
import struct
import types
import zipfile
import zlib
from typing import Any, cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ._files import open_atomic
from ._validation import InvalidTypeError, InvalidValueError

__all__ = ["FORMAT_VERSION", "is_saved_file", "load", "save"]

#: The version of the format this themescope writes (and the newest it reads).
FORMAT_VERSION = 1
_FORMAT = "themescope"
_MANIFEST = "manifest.json"
_ALIGN = 64
# Modules whose classes a file may name (a file never makes loading import anything else).
_ALLOWED_MODULES = ("themescope.", "sklearn.")
# str -> int dicts at least this long are stored as arrays, not JSON pairs.
_VOCABULARY_AS_ARRAYS = 16
# pandas' wrapper of a NumPy array in a Series (PandasArray before pandas 2.1).
_NUMPY_ARRAY = getattr(pd.arrays, "NumpyExtensionArray", None) or pd.arrays.PandasArray
_SPARSE = {
    "csr_array": sp.csr_array, "csr_matrix": sp.csr_matrix,
    "csc_array": sp.csc_array, "csc_matrix": sp.csc_matrix,
}


# ================================================================ writing
class _Writer:
    def __init__(self, archive: zipfile.ZipFile, file: Any) -> None:
        self.archive = archive
        self.file = file
        self.count = 0
        # Objects and arrays met before, by id: stored once, then referred to
        # ({"ref": n}), so that shared arrays stay shared and cycles (a Clustering's
        # explorer) end. The values are kept alive here so that ids stay unique.
        self.memo: dict[int, tuple[int, Any]] = {}

    # ---- arrays ----
    def array(self, values: np.ndarray) -> str:
        """Write one array as an aligned .npy member; its member name."""
        if values.dtype.hasobject:
            raise TypeError("object array")  # callers encode those
        name = f"arrays/{self.count}.npy"
        self.count += 1
        encoded = name.encode()
        # Local header: 30 bytes, the name, our padding field, zipfile's zip64 field (20);
        # the .npy header is a multiple of 64 long, so the data is aligned too.
        start = self.file.tell()
        padding = (-(start + 30 + len(encoded) + 4 + 20)) % _ALIGN
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        info.extra = struct.pack("<HH", 0xD935, padding) + b"\0" * padding  # 0xD935: zipalign's padding id
        with self.archive.open(info, "w", force_zip64=True) as member:
            np.lib.format.write_array(member, np.asanyarray(values), allow_pickle=False)
        return name

    def strings(self, values: Any, shape: tuple[int, ...]) -> dict[str, Any]:
        # Offsets count code points (Python's str indices) into the decoded text: one decode
        # and a slice per string when loading.
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum([len(v) for v in values], out=offsets[1:])
        blob = np.frombuffer("".join(values).encode("utf-8", "surrogatepass"), dtype=np.uint8)
        return {"strings": self.array(blob), "offsets": self.array(offsets), "shape": list(shape)}

    # ---- any value ----
    def encode(self, value: Any, where: str) -> Any:
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if isinstance(value, list) and type(value) is list:
            return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if type(value) is tuple:
            return {"tuple": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
        if type(value) in (set, frozenset):
            items = sorted(value, key=repr) if not all(isinstance(v, str) for v in value) else sorted(value)
            return {type(value).__name__: [self.encode(v, where) for v in items]}
        if type(value) is dict:
            return self._dict(value, where)
        if isinstance(value, (np.ndarray, pd.Series, pd.DataFrame, pd.Index)) or sp.issparse(value) or (
                not isinstance(value, (np.generic, type, np.dtype, dict, list))):
            seen = self.memo.get(id(value))
            if seen is not None:
                return {"ref": seen[0]}
            number = len(self.memo)
            self.memo[id(value)] = (number, value)
            return {"memo": number, "value": self._shared(value, where)}
        return self._shared(value, where)

    def _shared(self, value: Any, where: str) -> Any:
        if isinstance(value, np.ndarray):
            return self._ndarray(value, where)
        if isinstance(value, np.generic):
            return {"np_scalar": value.dtype.str, "value": self.encode(value.item(), where)}
        if isinstance(value, type) and issubclass(value, np.generic):
            return {"np_type": np.dtype(value).name}
        if isinstance(value, np.dtype):
            return {"np_dtype": value.str}
        if sp.issparse(value):
            return self._sparse(value, where)
        if isinstance(value, (pd.Series, pd.DataFrame, pd.Index, pd.Categorical)):
            return self._pandas(value, where)
        return self._object(value, where)

    def _dict(self, value: dict[Any, Any], where: str) -> Any:
        if (len(value) >= _VOCABULARY_AS_ARRAYS and all(type(k) is str for k in value)):
            values = list(value.values())
            kinds = {type(v) for v in values}
            if kinds == {int} or (len(kinds) == 1 and issubclass(next(iter(kinds)), np.integer)):
                kind = next(iter(kinds))
                return {"str_int_dict": {
                    "keys": self.strings(list(value), (len(value),)),
                    "values": self.array(np.asarray(values, dtype=np.int64)),
                    "value_type": "int" if kind is int else np.dtype(kind).name,
                }}
        return {"dict": [[self.encode(k, where), self.encode(v, f"{where}[{k!r:.40}]")] for k, v in value.items()]}

    def _ndarray(self, value: np.ndarray, where: str) -> Any:
        if type(value) is not np.ndarray:
            value = np.asarray(value)
        if not value.dtype.hasobject:
            return {"ndarray": self.array(value)}
        flat = value.ravel(order="C")
        if all(type(v) is str for v in flat):
            return self.strings(flat.tolist(), value.shape)
        return {"object_array": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(flat.tolist())],
                "shape": list(value.shape)}

    def _sparse(self, value: Any, where: str) -> Any:
        kind = type(value).__name__
        if kind not in _SPARSE:
            raise InvalidValueError(f"cannot save {where}: a scipy.sparse {kind} (CSR and CSC only)")
        return {"sparse": kind, "shape": list(value.shape), "data": self.array(value.data),
                "indices": self.array(value.indices), "indptr": self.array(value.indptr),
                "sorted": bool(value.has_sorted_indices)}

    def _pandas(self, value: Any, where: str) -> Any:
        if isinstance(value, pd.RangeIndex):
            return {"range_index": [value.start, value.stop, value.step], "name": self.encode(value.name, where)}
        if isinstance(value, pd.Categorical):
            return {"categorical": {"codes": self.encode(value.codes, where),
                                    "categories": self.encode(value.categories, where),
                                    "ordered": bool(value.ordered)}}
        if isinstance(value, pd.Index):
            if type(value) is not pd.Index and not isinstance(value, pd.RangeIndex):
                raise InvalidValueError(f"cannot save {where}: a pandas {type(value).__name__}")
            return {"index": self._column(value.array, where), "name": self.encode(value.name, where)}
        if isinstance(value, pd.Series):
            return {"series": self._column(value.array, where), "index": self._pandas(value.index, where),
                    "name": self.encode(value.name, where)}
        columns = self._pandas(value.columns, f"{where}.columns")
        data = [self._column(value.iloc[:, i].array, f"{where}[{value.columns[i]!r}]")
                for i in range(value.shape[1])]
        return {"dataframe": data, "columns": columns, "index": self._pandas(value.index, f"{where}.index"),
                "attrs": self.encode(dict(value.attrs), where)}

    def _column(self, array: Any, where: str) -> Any:
        if isinstance(array, pd.Categorical):
            return self._pandas(array, where)
        if isinstance(array, _NUMPY_ARRAY):
            return self._ndarray(array.to_numpy(), where)
        if isinstance(array, pd.arrays.TimedeltaArray) or (
                isinstance(array, pd.arrays.DatetimeArray) and array.tz is None):
            return {"datetime": self._ndarray(array.to_numpy(), where)}
        if isinstance(array, pd.api.extensions.ExtensionArray) and not isinstance(
                array.dtype, pd.DatetimeTZDtype):
            # str, nullable integers...: the values as objects and the dtype's name
            return {"pd_array": self._ndarray(np.asarray(array, dtype=object), where), "dtype": str(array.dtype)}
        raise InvalidValueError(f"cannot save {where}: a pandas column of dtype {array.dtype}")

    def _object(self, value: Any, where: str) -> Any:
        cls = type(value)
        module = cls.__module__
        if isinstance(value, (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                              functools.partial)) or "<locals>" in cls.__qualname__ or \
                not module.startswith(_ALLOWED_MODULES) or module.startswith("themescope._core"):
            raise InvalidValueError(
                f"cannot save {where}: a {module}.{cls.__qualname__} ({value!r:.60}); a saved file "
                "holds data and themescope or scikit-learn objects only (no functions or other objects)"
            )
        # _persist_state: what a class saves beyond its pickled state (a BM25 index's postings).
        persist_state = getattr(value, "_persist_state", None)
        state = persist_state() if persist_state is not None else value.__getstate__()
        return {"object": f"{module}:{cls.__qualname__}", "state": self.encode(state, where)}


def save(obj: Any, path: str | os.PathLike[str], *, extra: dict[str, Any] | None = None) -> None:
    """Write ``obj`` (a fitted estimator or Explorer) to ``path``, atomically.

    ``extra``: other values to keep beside it (a dict with str keys), read back with
    ``load(path, extra=True)`` (the ``themescope index`` command keeps each article's
    start there).

    Raises
    ------
    ValueError
        When ``obj`` holds something that cannot be saved (a function, say),
        named by its attribute path. The target is then left as it was.
    OSError
        When the file cannot be written (no folder, no space...), left as it was.
    """
    with open_atomic(path) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        writer = _Writer(archive, file)
        root = writer.encode(obj, type(obj).__name__)
        from ._version import __version__

        manifest = {"format": _FORMAT, "format_version": FORMAT_VERSION, "themescope_version": __version__,
                    "kind": type(obj).__name__, "root": root}
        if extra is not None:
            if not isinstance(extra, dict) or not all(isinstance(key, str) for key in extra):
                raise InvalidTypeError("extra must be a dict with str keys")
            manifest["extra"] = writer.encode(dict(extra), "extra")
        info = zipfile.ZipInfo(_MANIFEST, date_time=(1980, 1, 1, 0, 0, 0))
        archive.writestr(info, json.dumps(manifest, allow_nan=False, ensure_ascii=False), zipfile.ZIP_STORED)


# ================================================================ reading
class _Reader:
    def __init__(self, path: str, buffer: Any, members: dict[str, zipfile.ZipInfo], copy: bool) -> None:
        self.memo: dict[int, Any] = {}
        self.path = path
        self.buffer = buffer
        self.members = members
        self.copy = copy

    def _bad(self, what: str) -> ValueError:
        return ValueError(f"{self.path} is corrupted: {what}")

    def array(self, name: Any) -> np.ndarray:
        info = self.members.get(name) if isinstance(name, str) else None
        if info is None:
            raise self._bad(f"the manifest names an array {name!r:.60} that the file does not hold")
        start = _data_offset(self.buffer, info, self.path)
        header = io.BytesIO(bytes(self.buffer[start : start + min(info.file_size, 65536)]))
        try:
            version = np.lib.format.read_magic(header)
            read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                           else np.lib.format.read_array_header_2_0)
            shape, fortran, dtype = read_header(header)
        except ValueError as error:
            raise self._bad(f"{name} is not a .npy array ({error})") from None
        if dtype.hasobject:
            raise self._bad(f"{name} holds Python objects")
        offset = start + header.tell()
        count = math.prod(shape)
        if header.tell() + count * dtype.itemsize != info.file_size:
            raise self._bad(f"{name} has {info.file_size} bytes, not those of a {dtype} array of shape {shape}")
        values = np.frombuffer(self.buffer, dtype=dtype, count=count, offset=offset)
        values = values.reshape(shape, order="F" if fortran else "C")
        return values.copy(order="K") if self.copy else values

    def strings(self, node: dict[str, Any]) -> np.ndarray:
        blob = self.array(node["strings"])
        offsets = self.array(node["offsets"])
        try:
            text = blob.tobytes().decode("utf-8", "surrogatepass")
        except UnicodeDecodeError as error:
            raise self._bad(f"{node['strings']} is not UTF-8 ({error.reason} at byte {error.start})") from None
        if offsets.ndim != 1 or len(offsets) < 1 or offsets[0] != 0 or offsets[-1] != len(text) or (
                np.diff(offsets) < 0).any():
            raise self._bad(f"the offsets of {node['strings']} do not fit its text")
        bounds = offsets.tolist()
        items = [text[a:b] for a, b in zip(bounds, bounds[1:])]
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out.reshape(node["shape"])

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict) or not node:
            raise self._bad(f"unexpected manifest entry {node!r:.60}")
        tag = next(iter(node))
        if tag == "memo":
            number = node["memo"]
            value = self.decode_shared(node["value"], number)
            self.memo[number] = value
            return value
        if tag == "ref":
            if node["ref"] not in self.memo:
                raise self._bad(f"a reference to {node['ref']!r:.20}, which nothing before defines")
            return self.memo[node["ref"]]
        return self.decode_shared(node, None)

    # complexity: a flat dispatch on the manifest's tag, one short branch per kind the encoder writes
    def decode_shared(self, node: Any, number: int | None) -> Any:  # noqa: C901
        if not isinstance(node, dict) or not node:
            return self.decode(node)
        tag = next(iter(node))
        if tag == "tuple":
            return tuple(self.decode(v) for v in node["tuple"])
        if tag in ("set", "frozenset"):
            return (set if tag == "set" else frozenset)(self.decode(v) for v in node[tag])
        if tag == "float":
            return float(node["float"])
        if tag == "dict":
            return {self.decode(k): self.decode(v) for k, v in node["dict"]}
        if tag == "str_int_dict":
            spec = node["str_int_dict"]
            keys = self.strings(spec["keys"]).tolist()
            values = self.array(spec["values"])
            if len(values) != len(keys):
                raise self._bad("a vocabulary has more keys than values")
            kind = spec["value_type"]
            items = values.tolist() if kind == "int" else list(values.astype(np.dtype(kind)))
            return dict(zip(keys, items))
        if tag == "ndarray":
            return self.array(node["ndarray"])
        if tag == "strings":
            return self.strings(node)
        if tag == "object_array":
            out = np.empty(len(node["object_array"]), dtype=object)
            out[:] = [self.decode(v) for v in node["object_array"]]
            return out.reshape(node["shape"])
        if tag == "np_scalar":
            return np.dtype(node["np_scalar"]).type(self.decode(node["value"]))
        if tag == "np_type":
            return np.dtype(node["np_type"]).type
        if tag == "np_dtype":
            return np.dtype(node["np_dtype"])
        if tag == "sparse":
            cls = _SPARSE.get(node["sparse"])
            if cls is None:
                raise self._bad(f"unknown sparse format {node['sparse']!r:.40}")
            matrix = cls((self.array(node["data"]), self.array(node["indices"]), self.array(node["indptr"])),
                         shape=tuple(node["shape"]), copy=False)
            matrix.has_sorted_indices = bool(node.get("sorted", False))
            return matrix
        if tag == "range_index":
            start, stop, step = node["range_index"]
            return pd.RangeIndex(start, stop, step, name=self.decode(node["name"]))
        if tag == "index":
            values = self._column(node["index"])
            return pd.Index(values, name=self.decode(node["name"]), copy=False, dtype=_numpy_object(values))
        if tag == "categorical":
            spec = node["categorical"]
            return pd.Categorical.from_codes(self.decode(spec["codes"]), categories=self.decode(spec["categories"]),
                                             ordered=spec["ordered"])
        if tag == "series":
            values = self._column(node["series"])
            return pd.Series(values, index=self.decode(node["index"]), name=self.decode(node["name"]), copy=False,
                             dtype=_numpy_object(values))
        if tag == "dataframe":
            columns = self.decode(node["columns"])
            index = self.decode(node["index"])
            series = {}
            for i, c in enumerate(node["dataframe"]):
                values = self._column(c)
                series[i] = pd.Series(values, index=index, copy=False, dtype=_numpy_object(values))
            frame = pd.DataFrame(series, index=index)
            frame.columns = columns
            frame.attrs.update(self.decode(node["attrs"]))
            return frame
        if tag == "object":
            return self._object(node["object"], node["state"], number)
        raise self._bad(f"unknown manifest tag {tag!r:.40}")

    def _column(self, node: Any) -> Any:
        if isinstance(node, dict) and "datetime" in node:
            return self.decode(node["datetime"])
        if isinstance(node, dict) and "pd_array" in node:
            return pd.array(self.decode(node["pd_array"]), dtype=pd.api.types.pandas_dtype(node["dtype"]))
        return self.decode(node)

    def _object(self, name: Any, state: Any, number: int | None) -> Any:
        module_name, _, qualname = str(name).partition(":")
        if not module_name.startswith(_ALLOWED_MODULES) or not qualname:
            raise self._bad(f"it names a class outside themescope and scikit-learn ({name!r:.80})")
        try:
            cls: Any = importlib.import_module(module_name)
            for part in qualname.split("."):
                cls = getattr(cls, part)
        except (ImportError, AttributeError):
            raise InvalidValueError(
                f"{self.path} names a class this themescope does not have ({name!r:.80}): "
                "it was written by another version"
            ) from None
        if not isinstance(cls, type):
            raise self._bad(f"{name!r:.80} is not a class")
        obj = cast(Any, cls).__new__(cls)  # a class's own __new__, if it has one, as pickle does
        if number is not None:
            self.memo[number] = obj  # before its state: an object in it may refer back
        decoded = self.decode(state)
        if hasattr(obj, "__setstate__"):
            obj.__setstate__(decoded)
        else:
            obj.__dict__.update(decoded)
        return obj


def _numpy_object(values: Any) -> Any:
    """object for a NumPy object array (pandas would infer its str dtype), else None: as saved."""
    return object if isinstance(values, np.ndarray) and values.dtype.hasobject else None


def _data_offset(buffer: Any, info: zipfile.ZipInfo, path: str) -> int:
    """Where a stored member's bytes start (after its local header)."""
    at = info.header_offset
    local = bytes(buffer[at : at + 30])
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise InvalidValueError(f"{path} is corrupted: the header of {info.filename} is missing")
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    start = at + 30 + name_length + extra_length
    if start + info.file_size > len(buffer):
        raise InvalidValueError(f"{path} is truncated: {info.filename} ends past the end of the file")
    return int(start)


def load(path: str | os.PathLike[str], *, kind: type | None = None, mmap_mode: bool = True,
         verify: bool = True, extra: bool = False) -> Any:
    """Read what :func:`save` wrote.

    Parameters
    ----------
    path : str or path-like
    kind : class, optional
        The class the file must hold (an instance of it): else ``ValueError``.
    mmap_mode : bool, default=True
        Arrays are read-only views of the mapped file, read when used; False
        reads them into memory (writable copies).
    verify : bool, default=True
        Check every member's CRC-32 (reads the whole file once, on two threads while
        the objects are made).
    extra : bool, default=False
        Return ``(obj, extra)``: also the ``extra`` dict :func:`save` was given ({} if none).

    Raises
    ------
    ValueError
        Not a themescope file, truncated, corrupted (the member is named), a newer
        format version, or not a ``kind``.
    OSError
        The file cannot be opened.
    """
    target = os.fspath(path)
    with open(target, "rb") as file:
        size = os.fstat(file.fileno()).st_size
        if size == 0:
            raise InvalidValueError(f"{target} is empty: not a themescope file")
        buffer = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        archive = zipfile.ZipFile(_MappedFile(buffer))
    except zipfile.BadZipFile as error:
        raise InvalidValueError(f"{target} is not a themescope file, or it is truncated ({error})") from None
    members = {info.filename: info for info in archive.infolist()}
    if _MANIFEST not in members:
        raise InvalidValueError(f"{target} is not a themescope file: it has no {_MANIFEST}")
    for info in members.values():
        if info.compress_type != zipfile.ZIP_STORED:
            raise InvalidValueError(f"{target} is not a themescope file: {info.filename} is compressed")
    offsets = {name: _data_offset(buffer, info, target) for name, info in members.items()}
    if verify:
        # The checksums on two threads (zlib releases the GIL) while this one decodes; the
        # manifest's first, so that it is not parsed unchecked.
        if zlib.crc32(memoryview(buffer)[offsets[_MANIFEST] : offsets[_MANIFEST] + members[_MANIFEST].file_size]) \
                != members[_MANIFEST].CRC:
            raise InvalidValueError(f"{target} is corrupted: {_MANIFEST} does not match its checksum")
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        checks = [pool.submit(_matches_checksum, buffer, offsets[name], info) for name, info in
                  sorted(members.items(), key=lambda item: -item[1].file_size)]
        pool.shutdown(wait=False)
    else:
        checks = []

    def first_corrupted() -> None:
        for check in checks:
            bad = check.result()
            if bad is not None:
                raise InvalidValueError(f"{target} is corrupted: {bad} does not match its checksum")

    try:
        obj = _decode_file(archive, target, buffer, members, kind, mmap_mode, extra)
    except Exception:
        first_corrupted()  # a checksum names the cause better than what decoding met
        raise
    first_corrupted()
    return obj


def _matches_checksum(buffer: Any, start: int, info: zipfile.ZipInfo) -> str | None:
    """None if the member's bytes match its CRC-32, else its name."""
    view = memoryview(buffer)[start : start + info.file_size]
    try:
        return None if zlib.crc32(view) == info.CRC else info.filename
    finally:
        view.release()


def _decode_file(archive: zipfile.ZipFile, target: str, buffer: Any, members: dict[str, zipfile.ZipInfo],
                 kind: type | None, mmap_mode: bool, with_extra: bool) -> Any:
    try:
        manifest = json.loads(archive.read(_MANIFEST))
    except (ValueError, zipfile.BadZipFile) as error:
        raise InvalidValueError(f"{target} is corrupted: its {_MANIFEST} cannot be read ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT:
        raise InvalidValueError(f"{target} is not a themescope file: its manifest's format is not {_FORMAT!r}")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise InvalidValueError(f"{target} is corrupted: format_version is {version!r:.40}")
    if version > FORMAT_VERSION:
        raise InvalidValueError(
            f"{target} has format version {version}, written by themescope "
            f"{manifest.get('themescope_version', '?')}; this themescope reads versions up to "
            f"{FORMAT_VERSION}: upgrade themescope to read it"
        )
    stored_kind = manifest.get("kind")
    if kind is not None and stored_kind != kind.__name__ and not _names_subclass(kind, stored_kind):
        raise InvalidValueError(f"{target} holds a {stored_kind}, not a {kind.__name__}")
    reader = _Reader(target, buffer, members, copy=not mmap_mode)
    try:
        obj = reader.decode(manifest["root"])
        extra = reader.decode(manifest["extra"]) if with_extra and "extra" in manifest else {}
    except (KeyError, TypeError, IndexError) as error:
        raise InvalidValueError(
            f"{target} is corrupted: its manifest is inconsistent ({type(error).__name__}: {error})") from None
    if kind is not None and not isinstance(obj, kind):
        raise InvalidValueError(f"{target} holds a {type(obj).__name__}, not a {kind.__name__}")
    return (obj, extra) if with_extra else obj


def is_saved_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file :func:`save` may have written (a zip holding a manifest.json)."""
    try:
        if not zipfile.is_zipfile(path):
            return False
        with zipfile.ZipFile(path) as archive:
            return _MANIFEST in archive.namelist()
    except OSError:
        return False


def _names_subclass(kind: type, name: Any) -> bool:
    return any(c.__name__ == name for c in _all_subclasses(kind))


def _all_subclasses(cls: type) -> list[type]:
    out: list[type] = []
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        out.append(sub)
        out.extend(_all_subclasses(sub))
    return out


class _MappedFile(io.RawIOBase):
    """The mapped file as a seekable read-only file for zipfile (no copy of it)."""

    def __init__(self, buffer: Any) -> None:
        self._buffer = buffer
        self._view = memoryview(buffer)
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._position, len(self._buffer))[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def readinto(self, target: Any) -> int:
        chunk = self._view[self._position : self._position + len(target)]
        n = len(chunk)
        target[:n] = chunk
        self._position += n
        return n



class Persistent:
    """``save(path)`` and ``load(path)`` in the format of :mod:`themescope.persist`."""

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write this object to one file (format: :mod:`themescope.persist`), atomically.

        The previous file at ``path``, if any, is replaced only once the new one is
        complete. Raises ``ValueError`` naming an attribute that cannot be saved (a
        function given as a parameter, say), ``OSError`` when the file cannot be written.
        """
        save(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, mmap_mode: bool = True, verify: bool = True) -> Any:
        """Read an object :meth:`save` wrote: equal to it, arrays mapped from the file.

        ``mmap_mode=False`` reads the arrays into memory; ``verify=False`` skips the
        checksums. Raises ``ValueError`` when the file is not one, is truncated or
        corrupted (naming what), has a newer format version, or holds another class.
        """
        return load(path, kind=cls, mmap_mode=mmap_mode, verify=verify)
