"""Calls the Turso Platform API through libturso_platform's C ABI, with ctypes.

    import turso_platform as tp
    with tp.Client.from_env() as client:      # TURSO_API_TOKEN, TURSO_API_BASEURL, TURSO_ORG
        db = client.create_database("my-db", group="default")
        try:
            client.delete_database("no-such-db")
        except tp.Error as e:
            print(e.status_name, e.http_status, e.message)

The library is loaded from $TURSO_PLATFORM_LIB when set, else as "libturso_platform.so.0"
(found through LD_LIBRARY_PATH or the system's library path). A Client is safe to use from many
threads at once (the C client is, and ctypes releases the GIL during each call).
"""
from __future__ import annotations

import ctypes
import json
import math
import operator
import os
import threading
from ctypes import POINTER, byref, c_char_p, c_double, c_int32, c_int64, c_size_t, c_void_p
from typing import Any, Mapping, Optional

__all__ = ["Client", "Error", "Cancel", "Result", "version", "operations", "STATUS"]


def _load() -> ctypes.CDLL:
    return ctypes.CDLL(os.environ.get("TURSO_PLATFORM_LIB") or "libturso_platform.so.0")


_lib = _load()


class _Opaque(ctypes.Structure):
    pass


_options_p = POINTER(type("tp_options", (_Opaque,), {}))
_client_p = POINTER(type("tp_client", (_Opaque,), {}))
_params_p = POINTER(type("tp_params", (_Opaque,), {}))
_result_p = POINTER(type("tp_result", (_Opaque,), {}))
_value_p = POINTER(type("tp_value", (_Opaque,), {}))
_cancel_p = POINTER(type("tp_cancel", (_Opaque,), {}))


def _fn(name: str, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _fn("tp_version", c_char_p)
_version_number = _fn("tp_version_number", c_int32)
_status_name = _fn("tp_status_name", c_char_p, c_int32)
_status_message = _fn("tp_status_message", c_char_p, c_int32)
_options_new = _fn("tp_options_new", c_int32, POINTER(_options_p))
_options_from_env = _fn("tp_options_from_env", c_int32, POINTER(_options_p))
_options_free = _fn("tp_options_free", None, _options_p)
_options_error = _fn("tp_options_error", c_char_p, _options_p)
_options_set = {name: _fn(f"tp_options_set_{name}", c_int32, _options_p, c_char_p)
                for name in ("token", "base_url", "org", "user_agent")}
_options_set_timeout_ms = _fn("tp_options_set_timeout_ms", c_int32, _options_p, c_int32)
_options_set_retry = _fn("tp_options_set_retry", c_int32, _options_p, c_int32, c_int32)
_client_new = _fn("tp_client_new", c_int32, _options_p, POINTER(_client_p))
_client_free = _fn("tp_client_free", None, _client_p)
_client_base_url = _fn("tp_client_base_url", c_char_p, _client_p)
_client_org = _fn("tp_client_org", c_char_p, _client_p)
_cancel_new = _fn("tp_cancel_new", c_int32, POINTER(_cancel_p))
_cancel_free = _fn("tp_cancel_free", None, _cancel_p)
_cancel_trigger = _fn("tp_cancel_trigger", None, _cancel_p)
_cancel_reset = _fn("tp_cancel_reset", None, _cancel_p)
_cancel_is_triggered = _fn("tp_cancel_is_triggered", c_int32, _cancel_p)
_params_new = _fn("tp_params_new", c_int32, POINTER(_params_p))
_params_free = _fn("tp_params_free", None, _params_p)
_params_set_string = _fn("tp_params_set_string", c_int32, _params_p, c_char_p, c_char_p)
_params_set_int64 = _fn("tp_params_set_int64", c_int32, _params_p, c_char_p, c_int64)
_params_set_double = _fn("tp_params_set_double", c_int32, _params_p, c_char_p, c_double)
_params_set_bool = _fn("tp_params_set_bool", c_int32, _params_p, c_char_p, c_int32)
_params_set_null = _fn("tp_params_set_null", c_int32, _params_p, c_char_p)
_params_set_json = _fn("tp_params_set_json", c_int32, _params_p, c_char_p, c_char_p)
_params_set_bytes = _fn("tp_params_set_bytes", c_int32, _params_p, c_char_p, c_void_p, c_size_t)
_params_set_cancel = _fn("tp_params_set_cancel", c_int32, _params_p, _cancel_p)
_call = _fn("tp_call", c_int32, _client_p, c_char_p, _params_p, POINTER(_result_p))
_result_free = _fn("tp_result_free", None, _result_p)
_result_http_status = _fn("tp_result_http_status", c_int32, _result_p)
_result_message = _fn("tp_result_message", c_char_p, _result_p)
_result_error_code = _fn("tp_result_error_code", c_char_p, _result_p)
_result_body = _fn("tp_result_body", c_void_p, _result_p, POINTER(c_size_t))
_op_count = _fn("tp_op_count", c_int32)
_op_id = _fn("tp_op_id", c_char_p, c_int32)

#: Status names by code, e.g. STATUS[24] == "TP_E_NOT_FOUND".
STATUS = {code: _status_name(code).decode() for code in [0, 1, 2, 3, *range(10, 16), *range(20, 30)]}
_CODES = {name: code for code, name in STATUS.items()}
TP_OK = 0
TP_E_INVALID_ARGUMENT = _CODES["TP_E_INVALID_ARGUMENT"]
TP_E_BAD_RESPONSE = _CODES["TP_E_BAD_RESPONSE"]
# The header's TP_DEFAULT_MAX_ATTEMPTS and TP_DEFAULT_RETRY_BASE_DELAY_MS (macros: ctypes cannot
# read them; tests/ffi/python.sh checks these against the header).
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_RETRY_BASE_DELAY = 0.2
_INT32_MIN, _INT32_MAX = -2**31, 2**31 - 1
_INT64_MIN, _INT64_MAX = -2**63, 2**63 - 1


def version() -> str:
    """The loaded library's version, e.g. "0.1.0"."""
    return _version().decode()


def operations() -> list:
    """The operation ids the library knows ("databases.create", ...)."""
    return [_op_id(i).decode() for i in range(_op_count())]


def _utf8(s: Optional[str], what: str) -> Optional[bytes]:
    """s as the C library takes it: UTF-8 and NUL-terminated. A NUL inside would end the string
    there for C ("victim\\x00-user42" would name the database "victim"), so it is refused."""
    if s is None:
        return None
    if "\0" in s:
        raise ValueError(f"{what} contains a NUL byte")
    return s.encode("utf-8")


class Error(Exception):
    """A failed call: status (a TP_* code), its name, the HTTP status of the answer (0 when none
    came), the service's or transport's message, its optional error code and the operation."""

    def __init__(self, status: int, message: str, http_status: int = 0, op: Optional[str] = None,
                 code: Optional[str] = None):
        self.status = status
        self.status_name = _status_name(status).decode()
        self.http_status = http_status
        self.message = message
        self.op = op
        self.code = code
        where = f"{op}: " if op else ""
        http = f" (HTTP {http_status})" if http_status else ""
        # The library's argument checks name the operation already ("databases.list: missing
        # parameter 'org'"): say it once, in front.
        text = message[len(where):] if where and message.startswith(where) else message
        super().__init__(f"{where}{self.status_name}{http}: {text}")


def _check(status: int, what: str) -> None:
    if status != TP_OK:
        raise Error(status, f"{what}: {_status_message(status).decode()}")


def _check_options(options, status: int, what: str) -> None:
    """_check for a tp_options_* call on options: the message is the library's reason
    (tp_options_error: the setting or environment variable and why, never the value)."""
    if status != TP_OK:
        why = _options_error(options).decode("utf-8", "replace")
        raise Error(status, why or f"{what}: {_status_message(status).decode()}")


class Cancel:
    """Cancels the calls that carry it, from any thread: Client.call(..., cancel=c); c.trigger()."""

    def __init__(self) -> None:
        self._raw = _cancel_p()
        _check(_cancel_new(byref(self._raw)), "cancel")

    def trigger(self) -> None:
        _cancel_trigger(self._raw)

    def reset(self) -> None:
        _cancel_reset(self._raw)

    @property
    def triggered(self) -> bool:
        return bool(_cancel_is_triggered(self._raw))

    def __del__(self) -> None:
        raw, self._raw = getattr(self, "_raw", None), None
        if raw:
            _cancel_free(raw)


class Result:
    """A successful answer: the HTTP status, the raw body and the parsed JSON (None when empty)."""

    def __init__(self, http_status: int, body: bytes):
        self.http_status = http_status
        self.body = body
        self.data: Any = json.loads(body) if body.strip() else None

    def __repr__(self) -> str:
        return f"Result(http_status={self.http_status}, data={self.data!r})"


def _ms(seconds: float, what: str, *, limit: bool) -> int:
    """seconds as the int32_t milliseconds a C setter takes. ctypes would wrap a value out of
    that range (2**32 + 1 ms becomes 1 ms), so one below it is clamped for the library's own
    range check to refuse, and one above it raises Error when the library has no upper limit to
    check (limit=False), else is clamped too."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, not {type(seconds).__name__}")
    ms = seconds * 1000
    if ms != ms or (not limit and ms > _INT32_MAX):  # NaN, or more than C can hold
        raise Error(TP_E_INVALID_ARGUMENT, f"{what} must be a number of seconds, at most {_INT32_MAX / 1000}")
    return _int32(ms)


def _int32(n: float) -> int:
    """n clamped to int32_t, for the library's range check to refuse rather than ctypes to wrap."""
    return int(max(_INT32_MIN, min(_INT32_MAX, n)))


def _set_param(params, op: str, name: str, value: Any) -> None:
    """Sets one argument; raises Error when it is refused (by the library, or here when C could
    not hold it: ctypes would wrap 2**64 + 1 to 1)."""
    n = _utf8(name, f"argument name {name!r}")
    kind = type(value).__name__
    if isinstance(value, int) and not isinstance(value, bool) and not _INT64_MIN <= value <= _INT64_MAX:
        raise Error(TP_E_INVALID_ARGUMENT, f"argument {name!r} ({kind}) is out of range: an integer must fit in "
                    "64 bits (-2**63 to 2**63 - 1)", op=op)
    if isinstance(value, float) and not math.isfinite(value):
        raise Error(TP_E_INVALID_ARGUMENT, f"argument {name!r} ({kind}) must be finite: JSON has no NaN or infinity",
                    op=op)
    st = _set_value(params, n, name, value)
    if st != TP_OK:
        raise Error(st, f"argument {name!r} ({kind}) refused", op=op)


def _set_value(params, n: bytes, name: str, value: Any) -> int:
    if value is None:
        return _params_set_null(params, n)
    if isinstance(value, bool):  # before int: bool is an int
        return _params_set_bool(params, n, 1 if value else 0)
    if isinstance(value, int):
        return _params_set_int64(params, n, value)
    if isinstance(value, float):
        return _params_set_double(params, n, value)
    if isinstance(value, str):
        return _params_set_string(params, n, _utf8(value, f"argument {name!r}"))
    if isinstance(value, (bytes, bytearray)):
        buf = bytes(value)
        return _params_set_bytes(params, n, buf, len(buf))
    return _params_set_json(params, n, _utf8(json.dumps(value), f"argument {name!r}"))  # json.dumps escapes NUL


def _field(result: "Result", key: str, kind: type, op: str):
    """A helper's field of a 2xx answer; Error (TP_E_BAD_RESPONSE) when it is missing or of
    another kind, rather than a KeyError or an empty value a caller could store."""
    value = result.data.get(key) if isinstance(result.data, dict) else None
    if not isinstance(value, kind) or (kind is str and not value):
        raise Error(TP_E_BAD_RESPONSE, f"no {key} in the answer", http_status=result.http_status, op=op)
    return value


class Client:
    """A client of the Platform API. Use it as a context manager, or call close()."""

    def __init__(self, token: Optional[str] = None, base_url: Optional[str] = None,
                 org: Optional[str] = None, *, timeout: Optional[float] = None,
                 max_attempts: Optional[int] = None, retry_base_delay: Optional[float] = None,
                 user_agent: Optional[str] = None, _from_env: bool = False):
        options = _options_p()
        status = (_options_from_env if _from_env else _options_new)(byref(options))
        try:  # a refused environment value hands back options too, carrying the reason
            _check_options(options, status, "options")
            for name, value in (("token", token), ("base_url", base_url), ("org", org),
                                ("user_agent", user_agent)):
                if value is not None:
                    _check_options(options, _options_set[name](options, _utf8(value, name)), name)
            if timeout is not None:
                _check_options(options, _options_set_timeout_ms(options, _ms(timeout, "timeout", limit=False)),
                               "timeout")
            # One of the two alone keeps the library's default for the other (the C call sets both).
            if max_attempts is not None or retry_base_delay is not None:
                attempts = DEFAULT_MAX_ATTEMPTS if max_attempts is None else operator.index(max_attempts)
                delay = DEFAULT_RETRY_BASE_DELAY if retry_base_delay is None else retry_base_delay
                _check_options(options, _options_set_retry(options, _int32(attempts),
                                                           _ms(delay, "retry_base_delay", limit=True)),
                               "retry")
            self._raw = _client_p()
            _check(_client_new(options, byref(self._raw)), "client")
        finally:
            _options_free(options)
        # Calls hold this shared; close() waits for them to end before freeing the client, and
        # from its start (_closing) no call begins, so that calls from other threads cannot
        # keep it waiting.
        self._calls = 0
        self._closing = False
        self._cond = threading.Condition()

    @classmethod
    def from_env(cls, **overrides) -> "Client":
        """Settings from TURSO_API_TOKEN, TURSO_API_BASEURL, TURSO_ORG (and the official CLI's
        settings.json), with keyword overrides on top. A value there that the library refuses
        raises Error naming the variable ("TURSO_API_BASEURL: the URL must start with ...")."""
        return cls(_from_env=True, **overrides)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_raw", None) and getattr(self, "_cond", None) is not None:
            try:
                self.close()
            except Exception:  # interpreter shutdown: the library may be gone already
                pass

    def close(self) -> None:
        """Frees the client once running calls have returned; calls made once close() has begun
        raise Error at once."""
        with self._cond:
            self._closing = True
            self._cond.wait_for(lambda: self._calls == 0)
            raw, self._raw = self._raw, None
        if raw:
            _client_free(raw)

    def _setting(self, get, what: str) -> Optional[str]:
        # Read under the lock: close() detaches the client under it before freeing it.
        with self._cond:
            if not self._raw:
                raise Error(TP_E_INVALID_ARGUMENT, f"{what}: the client is closed")
            value = get(self._raw)
            return value.decode() if value is not None else None

    @property
    def base_url(self) -> str:
        """The API the client talks to; Error once the client is closed."""
        return self._setting(_client_base_url, "base_url")

    @property
    def org(self) -> Optional[str]:
        """The default organization, None when there is none; Error once the client is closed."""
        return self._setting(_client_org, "org")

    def call(self, op: str, args: Optional[Mapping[str, Any]] = None, *, cancel: Optional[Cancel] = None) -> Result:
        """Runs the operation op ("databases.create", see operations()) with named arguments:
        path parameters ("org", "db", ...), query parameters and body fields. str, int, float,
        bool, None and bytes map to the C setters; lists and dicts are sent as JSON. A str with
        a NUL character (as an argument, its name or op) raises ValueError, nothing sent."""
        op_id = _utf8(op, "operation id")
        params = _params_p()
        _check(_params_new(byref(params)), "params")
        result = _result_p()
        try:
            for name, value in (args or {}).items():
                _set_param(params, op, name, value)
            if cancel is not None:
                _check(_params_set_cancel(params, cancel._raw), "cancel")
            with self._cond:
                if not self._raw or self._closing:
                    raise Error(TP_E_INVALID_ARGUMENT, "the client is closed", op=op)
                self._calls += 1
            try:
                status = _call(self._raw, op_id, params, byref(result))
            finally:
                with self._cond:
                    self._calls -= 1
                    self._cond.notify_all()
            if not result:
                raise Error(status, "no result (out of memory)", op=op)
            http_status = _result_http_status(result)
            if status != TP_OK:
                code = _result_error_code(result)
                raise Error(status, _result_message(result).decode("utf-8", "replace"), http_status, op,
                            code.decode() if code is not None else None)
            n = c_size_t()
            ptr = _result_body(result, byref(n))
            return Result(http_status, ctypes.string_at(ptr, n.value) if ptr and n.value else b"")
        finally:
            _result_free(result)
            _params_free(params)

    # A few typed helpers over call().

    def create_database(self, name: str, group: Optional[str] = None, **fields) -> dict:
        """Creates a database; returns its description (Name, Hostname, DbId)."""
        args = dict(fields, name=name)
        if group is not None:
            args["group"] = group
        database = _field(self.call("databases.create", args), "database", dict, "databases.create")
        for key in ("Name", "Hostname", "DbId"):
            if not isinstance(database.get(key), str) or not database[key]:
                raise Error(TP_E_BAD_RESPONSE, f"no database.{key} in the answer", op="databases.create")
        return database

    def create_database_token(self, db: str, expiration: Optional[str] = None, read_only: bool = False) -> str:
        """Mints a token (a JWT) for the database db."""
        args: dict = {"db": db}
        if expiration is not None:
            args["expiration"] = expiration
        if read_only:
            args["authorization"] = "read-only"
        return _field(self.call("databases.create_token", args), "jwt", str, "databases.create_token")

    def list_databases(self) -> list:
        """The databases of the client's organization."""
        return _field(self.call("databases.list"), "databases", list, "databases.list")

    def delete_database(self, name: str) -> None:
        self.call("databases.delete", {"db": name})
