"""Plain data for a function's answer: what crosses from a student's process to the grader.

A check never compares a live object made by student code: the object could lie
(an ``__eq__`` that is always true, an ``__array_ufunc__``, a value that changes
on a second read). Every answer is first turned into plain JSON data by
:func:`encode` (numbers, strings, lists, arrays as raw bytes of a known dtype,
DataFrames column by column, scikit-learn estimators as their class and
parameters, Optuna studies as their trials), and the check compares what
:func:`decode` rebuilds from that data. Decoding runs no student code: it makes
NumPy arrays, pandas frames and objects of allow-listed library classes only.

The same round trip runs in a student's notebook (the public checks) and in
grading, so an answer that cannot be read (an object of a class defined in the
notebook, say) fails the same way in both, with the same message.
"""

from __future__ import annotations

import base64
import importlib
import json
import math
import pathlib
from typing import Any

import numpy as np

#: Largest encoded answer accepted (bytes of JSON).
MAX_BYTES = 64 * 1024 * 1024
#: Deepest nesting accepted.
MAX_DEPTH = 40
#: Modules whose classes and functions an answer may name (estimators, scorers, samplers).
ALLOWED_MODULES = ("sklearn.", "optuna.", "scipy.stats", "numpy", "math", "helpers.", "xgboost.", "flaml.")
_NUMERIC_KINDS = "biufc"


class WireError(ValueError):
    """An answer that cannot be turned into plain data, or data that is not a valid answer."""


class Unsupported:
    """Stands for a part of an answer that could not be sent (e.g. an object of a notebook-defined class).

    It equals nothing, so any check that looks at it fails with a message naming the type.
    """

    def __init__(self, what: str) -> None:
        self.what = what

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<{self.what}: not plain data the grader can read>"


# -- encoding (runs where the answer was computed) ---------------------------------------------------


def encode(value: Any) -> Any:
    """``value`` as JSON-ready plain data; raises :class:`WireError` if it is too large."""
    budget = [MAX_BYTES]
    return _encode(value, 0, budget)


def dumps(value: Any) -> bytes:
    """``encode(value)`` as UTF-8 JSON bytes."""
    data = json.dumps(encode(value), allow_nan=False, separators=(",", ":")).encode()
    if len(data) > MAX_BYTES:
        raise WireError(f"the answer is larger than {MAX_BYTES // 2**20} MB")
    return data


def _spend(budget: list[int], n: int) -> None:
    budget[0] -= n
    if budget[0] < 0:
        raise WireError(f"the answer is larger than {MAX_BYTES // 2**20} MB")


def _qualname(obj: Any) -> str:
    kind = obj if isinstance(obj, type) else type(obj)
    return f"{kind.__module__}.{kind.__qualname__}"


def _float(x: float) -> Any:
    if math.isfinite(x):
        return x
    return {"$": "float", "v": "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")}


def _encode(value: Any, depth: int, budget: list[int]) -> Any:  # noqa: C901 - one branch per kind
    if depth > MAX_DEPTH:
        raise WireError("the answer is nested too deeply")
    _spend(budget, 8)
    if value is None or isinstance(value, bool):
        return value
    if type(value) is int:
        _spend(budget, len(str(value)) if abs(value) > 2**63 else 0)
        return value
    if type(value) is float:
        return _float(value)
    if type(value) is str:
        _spend(budget, len(value))
        return value
    if isinstance(value, np.generic):
        if value.dtype.kind not in _NUMERIC_KINDS + "U":
            return {"$": "unsupported", "type": _qualname(value)}
        item = value.item()
        if isinstance(item, complex):
            item = [item.real, item.imag]
        elif isinstance(item, float):
            item = _float(item)
        return {"$": "np", "dtype": value.dtype.str, "v": item}
    if type(value) in (list, tuple, set, frozenset):
        items = [_encode(v, depth + 1, budget) for v in value]
        return items if type(value) is list else {"$": type(value).__name__, "items": items}
    if type(value) is dict:
        return {"$": "dict", "items": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                                       for k, v in value.items()]}
    if isinstance(value, np.ndarray):
        return _encode_array(value, depth, budget)
    if isinstance(value, pathlib.PurePath):
        return {"$": "path", "v": str(value)}
    if type(value) is range:
        return {"$": "range", "v": [value.start, value.stop, value.step]}
    module = type(value).__module__ or ""
    if module.startswith("pandas"):
        return _encode_pandas(value, depth, budget)
    if module.startswith("optuna"):
        return _encode_optuna(value, depth, budget)
    if module.startswith("scipy.stats") and hasattr(value, "dist") and hasattr(value, "args"):
        return {"$": "frozen", "name": value.dist.name, "args": _encode(list(value.args), depth + 1, budget),
                "kwds": _encode(dict(value.kwds), depth + 1, budget)}
    if hasattr(value, "get_params") and _qualname(value).startswith(ALLOWED_MODULES):
        return _encode_estimator(value, depth, budget)
    if module.startswith("sklearn.model_selection") and hasattr(value, "get_n_splits"):
        return _encode_init(value, depth, budget)
    if callable(value) and getattr(value, "__module__", None) and hasattr(value, "__qualname__"):
        name = f"{value.__module__}:{value.__qualname__}"
        if value.__module__.startswith(ALLOWED_MODULES) or value.__module__ == "builtins":
            return {"$": "ref", "v": name}
        return {"$": "unsupported", "type": f"function or class {value.__qualname__!r} defined in the notebook"}
    return {"$": "unsupported", "type": f"object of type {_qualname(value)}"}


def _encode_array(value: np.ndarray, depth: int, budget: list[int]) -> Any:
    if isinstance(value, np.ma.MaskedArray):
        return {"$": "masked", "data": _encode_array(np.ma.getdata(value), depth + 1, budget),
                "mask": _encode_array(np.ma.getmaskarray(value), depth + 1, budget)}
    if value.dtype.kind in _NUMERIC_KINDS:
        raw = np.ascontiguousarray(value).tobytes()
        _spend(budget, len(raw) * 4 // 3)
        return {"$": "ndarray", "dtype": value.dtype.str, "shape": list(value.shape),
                "b64": base64.b64encode(raw).decode()}
    if value.dtype.kind == "M":
        return {"$": "datetime", "dtype": value.dtype.str, "data": _encode_array(value.view("i8"), depth, budget)}
    items = [_encode(v, depth + 1, budget) for v in value.ravel().tolist()]
    return {"$": "ndarray", "dtype": "O" if value.dtype.kind == "O" else value.dtype.str,
            "shape": list(value.shape), "items": items}


def _encode_index(index: Any, depth: int, budget: list[int]) -> Any:
    import pandas as pd

    if type(index) is pd.RangeIndex:
        return {"$": "rangeindex", "v": [index.start, index.stop, index.step], "name": _encode(index.name, depth, budget)}
    if isinstance(index, pd.MultiIndex):
        return {"$": "multiindex", "tuples": _encode(list(index), depth + 1, budget),
                "names": _encode(list(index.names), depth + 1, budget)}
    return {"$": "index", "values": _encode_array(np.asarray(index, dtype=object) if index.dtype == object
                                                  else index.to_numpy(), depth + 1, budget),
            "name": _encode(index.name, depth + 1, budget)}


def _encode_pandas(value: Any, depth: int, budget: list[int]) -> Any:
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        columns = []
        for i in range(value.shape[1]):
            column = value.iloc[:, i]
            columns.append({"dtype": str(column.dtype), "values": _encode_series_values(column, depth, budget)})
        return {"$": "dataframe", "columns": _encode_index(value.columns, depth + 1, budget),
                "index": _encode_index(value.index, depth + 1, budget), "data": columns}
    if isinstance(value, pd.Series):
        return {"$": "series", "dtype": str(value.dtype), "values": _encode_series_values(value, depth, budget),
                "index": _encode_index(value.index, depth + 1, budget), "name": _encode(value.name, depth + 1, budget)}
    if isinstance(value, pd.Index):
        return _encode_index(value, depth, budget)
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return {"$": "unsupported", "type": "pandas Timestamp"}
    return {"$": "unsupported", "type": f"object of type {_qualname(value)}"}


def _encode_series_values(column: Any, depth: int, budget: list[int]) -> Any:
    if column.dtype.kind in _NUMERIC_KINDS and type(column.dtype).__module__.startswith("numpy"):
        return _encode_array(column.to_numpy(), depth + 1, budget)
    return _encode_array(column.to_numpy(dtype=object), depth + 1, budget)


def _encode_estimator(value: Any, depth: int, budget: list[int]) -> Any:
    params = value.get_params(deep=False)
    fitted = {}
    for attr, item in vars(value).items():
        if attr.endswith("_") and not attr.startswith("_"):
            encoded = _encode(item, depth + 1, budget)
            if not (isinstance(encoded, dict) and encoded.get("$") == "unsupported"):
                fitted[attr] = encoded
    return {"$": "estimator", "class": _qualname(value), "params": _encode(dict(params), depth + 1, budget),
            "fitted": fitted}


def _encode_init(value: Any, depth: int, budget: list[int]) -> Any:
    """A library object without ``get_params`` (a CV splitter): its constructor's arguments, read back."""
    import inspect

    try:
        names = [p.name for p in inspect.signature(type(value).__init__).parameters.values()
                 if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    except (TypeError, ValueError):
        return {"$": "unsupported", "type": f"object of type {_qualname(value)}"}
    params = {}
    for name in names:
        if not hasattr(value, name):
            return {"$": "unsupported", "type": f"object of type {_qualname(value)}"}
        params[name] = getattr(value, name)
    return {"$": "init", "class": _qualname(value), "params": _encode(params, depth + 1, budget)}


def _encode_trial(trial: Any, depth: int, budget: list[int]) -> Any:
    from optuna.distributions import distribution_to_json

    return {"$": "trial", "number": trial.number, "state": trial.state.name,
            "values": _encode(list(trial.values) if trial.values is not None else None, depth + 1, budget),
            "params": _encode(dict(trial.params), depth + 1, budget),
            "distributions": {name: distribution_to_json(d) for name, d in trial.distributions.items()},
            "intermediate": _encode(dict(trial.intermediate_values), depth + 1, budget),
            "user_attrs": _encode(dict(trial.user_attrs), depth + 1, budget)}


def _encode_optuna(value: Any, depth: int, budget: list[int]) -> Any:
    import optuna
    from optuna.distributions import BaseDistribution, distribution_to_json

    if isinstance(value, BaseDistribution):
        return {"$": "distribution", "v": distribution_to_json(value)}
    if isinstance(value, optuna.trial.FrozenTrial):
        return _encode_trial(value, depth, budget)
    if isinstance(value, optuna.Study):
        return {"$": "study", "directions": [d.name for d in value.directions],
                "sampler": _qualname(value.sampler), "pruner": _qualname(value.pruner),
                "trials": [_encode_trial(t, depth + 1, budget) for t in value.get_trials(deepcopy=False)],
                "user_attrs": _encode(dict(value.user_attrs), depth + 1, budget)}
    if isinstance(value, (optuna.study.StudyDirection, optuna.trial.TrialState)):
        return {"$": "enum", "class": _qualname(value), "v": value.name}
    if isinstance(value, (optuna.samplers.BaseSampler, optuna.pruners.BasePruner)):
        return {"$": "instance", "class": _qualname(value)}
    return {"$": "unsupported", "type": f"object of type {_qualname(value)}"}


# -- decoding (runs in the grader: data only, no student code) ----------------------------------------


def loads(data: bytes) -> Any:
    """Decode UTF-8 JSON bytes made by :func:`dumps`; raises :class:`WireError` on anything else."""
    if len(data) > MAX_BYTES:
        raise WireError("the answer is too large")
    try:
        tree = json.loads(data.decode("utf-8"), parse_constant=_reject_constant)
        return decode(tree)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, OverflowError) as error:
        raise WireError(f"not a valid answer ({type(error).__name__})") from None


def roundtrip(value: Any) -> Any:
    """What the grader would read of ``value``: ``loads(dumps(value))``."""
    return loads(dumps(value))


def _reject_constant(name: str) -> Any:
    raise WireError(f"{name} is not allowed in an answer")


def _resolve(name: str) -> Any:
    """An allow-listed module attribute ``module:qualname``."""
    module_name, _, qualname = name.partition(":")
    if not (module_name.startswith(ALLOWED_MODULES) or module_name == "builtins"):
        raise WireError(f"{module_name} is not a library the grader reads")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        if part.startswith("_") and part != "__init__":
            raise WireError(f"{name} is private")
        obj = getattr(obj, part)
    return obj


def _class(qualname: str) -> type:
    module_name, _, cls_name = qualname.rpartition(".")
    if not module_name.startswith(ALLOWED_MODULES) or "<" in cls_name:
        raise WireError(f"{qualname} is not a library class")
    cls = getattr(importlib.import_module(module_name), cls_name, None)
    if not isinstance(cls, type):
        raise WireError(f"{qualname} is not a class")
    return cls


def decode(tree: Any, depth: int = 0) -> Any:  # noqa: C901 - one branch per kind
    """Rebuild an answer from plain data made by :func:`encode`."""
    if depth > MAX_DEPTH + 5:
        raise WireError("the answer is nested too deeply")
    if tree is None or isinstance(tree, (bool, int, float, str)):
        return tree
    if isinstance(tree, list):
        return [decode(v, depth + 1) for v in tree]
    if not isinstance(tree, dict):
        raise WireError("not a valid answer")
    kind = tree.get("$")
    d = depth + 1
    if kind == "float":
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[tree["v"]]
    if kind == "np":
        dtype = _dtype(tree["dtype"])
        v = tree["v"]
        if dtype.kind == "c":
            v = complex(v[0], v[1])
        elif isinstance(v, dict):
            v = decode(v, d)
        return dtype.type(v)
    if kind in ("tuple", "set", "frozenset"):
        items = [decode(v, d) for v in tree["items"]]
        return {"tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
    if kind == "dict":
        return {_hashable(decode(k, d)): decode(v, d) for k, v in tree["items"]}
    if kind == "ndarray":
        return _decode_array(tree, d)
    if kind == "masked":
        return np.ma.MaskedArray(decode(tree["data"], d), mask=decode(tree["mask"], d))
    if kind == "datetime":
        return decode(tree["data"], d).view(_dtype(tree["dtype"], datetime=True))
    if kind == "path":
        return pathlib.Path(str(tree["v"]))
    if kind == "range":
        start, stop, step = (int(x) for x in tree["v"])
        return range(start, stop, step)
    if kind in ("rangeindex", "multiindex", "index"):
        return _decode_index(tree, d)
    if kind == "dataframe":
        return _decode_frame(tree, d)
    if kind == "series":
        import pandas as pd

        return pd.Series(_decode_values(tree, d), index=_decode_index(tree["index"], d), name=decode(tree["name"], d))
    if kind == "frozen":
        dist = _resolve(f"scipy.stats:{tree['name']}")
        if not hasattr(dist, "freeze"):
            raise WireError("not a scipy.stats distribution")
        return dist(*decode(tree["args"], d), **{str(k): v for k, v in decode(tree["kwds"], d).items()})
    if kind == "estimator":
        return _decode_estimator(tree, d)
    if kind == "init":
        cls = _class(str(tree["class"]))
        try:
            return cls(**{str(k): v for k, v in decode(tree["params"], d).items()})
        except TypeError as error:
            raise WireError(f"cannot rebuild {tree['class']}: {error}") from None
    if kind == "ref":
        return _resolve(str(tree["v"]))
    if kind == "distribution":
        from optuna.distributions import json_to_distribution

        return json_to_distribution(str(tree["v"]))
    if kind == "trial":
        return _decode_trial(tree, d)
    if kind == "study":
        return _decode_study(tree, d)
    if kind == "enum":
        return getattr(_class(str(tree["class"])), str(tree["v"]))
    if kind == "instance":
        return _placeholder(str(tree["class"]))
    if kind == "unsupported":
        return Unsupported(str(tree.get("type", "an object")))
    raise WireError(f"unknown kind {kind!r} in an answer")


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        return tuple(_hashable(k) for k in key)
    if isinstance(key, np.ndarray):
        raise WireError("an array cannot be a dict key")
    return key


def _dtype(text: Any, datetime: bool = False) -> np.dtype:
    dtype = np.dtype(str(text))
    if datetime:
        if dtype.kind not in "Mm":
            raise WireError("not a datetime dtype")
    elif dtype.kind not in _NUMERIC_KINDS + "U" or dtype.hasobject:
        raise WireError(f"dtype {text} is not allowed")
    return dtype


def _decode_array(tree: dict, depth: int) -> np.ndarray:
    shape = tuple(int(n) for n in tree["shape"])
    if any(n < 0 for n in shape):
        raise WireError("negative shape")
    if "b64" in tree:
        dtype = _dtype(tree["dtype"])
        raw = base64.b64decode(tree["b64"], validate=True)
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if count * dtype.itemsize != len(raw):
            raise WireError("array data does not match its shape")
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    items = [decode(v, depth + 1) for v in tree["items"]]
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    if count != len(items):
        raise WireError("array items do not match its shape")
    if tree["dtype"] == "O":
        out = np.empty(count, dtype=object)
        out[:] = items
        return out.reshape(shape)
    return np.array(items, dtype=_dtype(tree["dtype"])).reshape(shape)


def _decode_values(tree: dict, depth: int) -> Any:
    values = decode(tree["values"], depth)
    dtype = str(tree.get("dtype", ""))
    if isinstance(values, np.ndarray) and values.dtype == object and dtype not in ("object", ""):
        try:
            import pandas as pd

            return pd.array(list(values), dtype=dtype)
        except (TypeError, ValueError):
            return values
    return values


def _decode_index(tree: dict, depth: int) -> Any:
    import pandas as pd

    kind = tree.get("$")
    if kind == "rangeindex":
        start, stop, step = (int(x) for x in tree["v"])
        return pd.RangeIndex(start, stop, step, name=decode(tree["name"], depth))
    if kind == "multiindex":
        return pd.MultiIndex.from_tuples([tuple(t) for t in decode(tree["tuples"], depth)],
                                         names=decode(tree["names"], depth))
    if kind == "index":
        return pd.Index(decode(tree["values"], depth), name=decode(tree["name"], depth))
    raise WireError("not an index")


def _decode_frame(tree: dict, depth: int) -> Any:
    import pandas as pd

    columns = _decode_index(tree["columns"], depth)
    index = _decode_index(tree["index"], depth)
    data = [_decode_values(c, depth) for c in tree["data"]]
    if len(data) != len(columns):
        raise WireError("DataFrame columns do not match")
    frame = pd.DataFrame({i: pd.Series(v, index=index) if len(v) == len(index) else _bad() for i, v in enumerate(data)},
                         index=index)
    frame.columns = columns
    return frame


def _bad() -> Any:
    raise WireError("DataFrame column length does not match its index")


def _decode_estimator(tree: dict, depth: int) -> Any:
    cls = _class(str(tree["class"]))
    if not hasattr(cls, "get_params"):
        raise WireError(f"{tree['class']} is not an estimator")
    params = decode(tree["params"], depth)
    try:
        estimator = cls(**{str(k): v for k, v in params.items()})
    except TypeError as error:
        raise WireError(f"cannot rebuild {tree['class']}: {error}") from None
    fitted = tree["fitted"]
    if not isinstance(fitted, dict):
        raise WireError("not a valid estimator")
    for attr, item in fitted.items():
        value = decode(item, depth)
        if isinstance(attr, str) and attr.endswith("_") and not attr.startswith("_"):
            try:
                setattr(estimator, attr, value)
            except (AttributeError, TypeError):
                pass  # a read-only property of the class: the class computes it itself
    return estimator


def _placeholder(qualname: str) -> Any:
    """An instance of an allow-listed class without running its constructor (for ``isinstance`` and names)."""
    cls = _class(qualname)
    return object.__new__(cls)


def _decode_trial(tree: dict, depth: int) -> Any:
    import optuna
    from optuna.distributions import json_to_distribution

    values = decode(tree["values"], depth)
    state = optuna.trial.TrialState[str(tree["state"])]
    distributions = {str(k): json_to_distribution(str(v)) for k, v in tree["distributions"].items()}
    params = {str(k): v for k, v in decode(tree["params"], depth).items()}
    intermediate = {int(k): float(v) for k, v in decode(tree["intermediate"], depth).items()}
    trial = optuna.trial.FrozenTrial(
        number=int(tree["number"]), state=state, value=None,
        values=[float(v) for v in values] if values is not None else None,
        datetime_start=None, datetime_complete=None, params=params, distributions=distributions,
        user_attrs={str(k): v for k, v in decode(tree["user_attrs"], depth).items()}, system_attrs={},
        intermediate_values=intermediate, trial_id=int(tree["number"]))
    return trial


def _decode_study(tree: dict, depth: int) -> Any:
    import optuna

    directions = [optuna.study.StudyDirection[str(d)] for d in tree["directions"]]
    storage = optuna.storages.InMemoryStorage()
    verbosity = optuna.logging.get_verbosity()
    optuna.logging.set_verbosity(optuna.logging.WARNING)  # no "A new study created" on stderr
    try:
        study_id = storage.create_new_study(directions)
    finally:
        optuna.logging.set_verbosity(verbosity)
    study = optuna.Study(study_name=storage.get_study_name_from_id(study_id), storage=storage,
                         sampler=optuna.samplers.RandomSampler(seed=0), pruner=optuna.pruners.NopPruner())
    for key, value in decode(tree["user_attrs"], depth).items():
        storage.set_study_user_attr(study_id, str(key), value)
    for item in tree["trials"]:
        frozen = _decode_trial(item, depth + 1)
        trial_id = storage.create_new_trial(study_id, template_trial=frozen)
        del trial_id
    study.sampler = _placeholder(str(tree["sampler"]))
    study.pruner = _placeholder(str(tree["pruner"]))
    return study
