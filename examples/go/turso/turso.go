// Package turso calls the Turso Platform API through libturso_platform's C ABI.
//
// A Client is safe for concurrent use by any number of goroutines. Every call takes a
// context.Context: when it is cancelled or its deadline passes, the request in flight is
// cancelled (tp_cancel_trigger) and the call returns an *Error whose Unwrap gives ctx.Err().
//
//	client, err := turso.FromEnv() // TURSO_API_TOKEN, TURSO_API_BASEURL, TURSO_ORG
//	db, err := client.CreateDatabase(ctx, "my-db", "default")
//	var terr *turso.Error
//	if errors.As(err, &terr) && terr.Status == turso.StatusConflict { ... }
package turso

/*
#cgo pkg-config: turso_platform
#include <stdlib.h>
#include <turso_platform.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// Status is a tp_status code of the C library.
type Status int32

// The status codes (fixed numbers, see turso_platform.h).
const (
	StatusOK               Status = C.TP_OK
	StatusInvalidArgument  Status = C.TP_E_INVALID_ARGUMENT
	StatusNoMem            Status = C.TP_E_NOMEM
	StatusInternal         Status = C.TP_E_INTERNAL
	StatusNetwork          Status = C.TP_E_NETWORK
	StatusTimeout          Status = C.TP_E_TIMEOUT
	StatusTLS              Status = C.TP_E_TLS
	StatusCancelled        Status = C.TP_E_CANCELLED
	StatusBadResponse      Status = C.TP_E_BAD_RESPONSE
	StatusResponseTooLarge Status = C.TP_E_RESPONSE_TOO_LARGE
	StatusBadRequest       Status = C.TP_E_BAD_REQUEST
	StatusUnauthorized     Status = C.TP_E_UNAUTHORIZED
	StatusPaymentRequired  Status = C.TP_E_PAYMENT_REQUIRED
	StatusForbidden        Status = C.TP_E_FORBIDDEN
	StatusNotFound         Status = C.TP_E_NOT_FOUND
	StatusConflict         Status = C.TP_E_CONFLICT
	StatusUnprocessable    Status = C.TP_E_UNPROCESSABLE
	StatusRateLimited      Status = C.TP_E_RATE_LIMITED
	StatusServer           Status = C.TP_E_SERVER
	StatusHTTP             Status = C.TP_E_HTTP
)

// String gives the constant's name, e.g. "TP_E_NOT_FOUND".
func (s Status) String() string { return C.GoString(C.tp_status_name(C.tp_status(s))) }

// Error is a failed call: the library's status, the HTTP code of the answer (0 when none came)
// and the service's or the transport's message.
type Error struct {
	Status     Status
	HTTPStatus int
	Message    string
	Op         string // the operation id, "" when no call failed (a setting, the environment)
	what       string // what failed when Op is "": "options", "environment", "client", "call"
	ctxErr     error
}

// Error is "turso: WHAT: STATUS (HTTP n): MESSAGE", WHAT being the operation id or what else
// failed.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("turso: ")
	msg := e.Message
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
		// The library's argument checks name the operation already: say it once.
		msg = strings.TrimPrefix(msg, e.Op+": ")
	} else if e.what != "" {
		b.WriteString(e.what + ": ")
	}
	b.WriteString(e.Status.String())
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	b.WriteString(": " + msg)
	return b.String()
}

// Unwrap gives the context's error when the call was cancelled through its context, so that
// errors.Is(err, context.Canceled) and errors.Is(err, context.DeadlineExceeded) work.
func (e *Error) Unwrap() error { return e.ctxErr }

// Version is the version of the loaded C library, e.g. "0.1.0".
func Version() string { return C.GoString(C.tp_version()) }

// Options are a client's settings; zero values keep the library's defaults. A value the library
// refuses (a negative Timeout, MaxAttempts over 20, ...) is an *Error saying why.
type Options struct {
	Token          string        // platform API token
	BaseURL        string        // default https://api.turso.tech
	Org            string        // default organization
	Timeout        time.Duration // the whole call, retries and their waits included; at most MaxTimeout
	MaxAttempts    int           // attempts in all, 1 = no retry (default DefaultMaxAttempts)
	RetryBaseDelay time.Duration // before the first retry, doubling after (default DefaultRetryBaseDelay)
	UserAgent      string
}

// The library's retry policy, which Options.MaxAttempts and RetryBaseDelay change.
const (
	DefaultMaxAttempts    = int(C.TP_DEFAULT_MAX_ATTEMPTS)
	DefaultRetryBaseDelay = C.TP_DEFAULT_RETRY_BASE_DELAY_MS * time.Millisecond
)

// MaxTimeout is the longest Options.Timeout: the library takes int32 milliseconds.
const MaxTimeout = math.MaxInt32 * time.Millisecond

// Client is a connection pool and settings; safe for concurrent use. Close it when done.
type Client struct {
	mu      sync.RWMutex // calls hold it shared, Close exclusively
	c       *C.tp_client
	closing atomic.Bool // set by Close before it waits: calls from then on fail at once
}

func closedError(op string) error {
	return &Error{Status: StatusInvalidArgument, Op: op, Message: "the client is closed"}
}

// statusError is a failure with no result to describe it: what failed in the call op, or, with
// op "", what failed outside any call ("client").
func statusError(op string, st C.tp_status, what string) error {
	msg := C.GoString(C.tp_status_message(st))
	if op == "" {
		return &Error{Status: Status(st), what: what, Message: msg}
	}
	return &Error{Status: Status(st), Op: op, Message: what + ": " + msg}
}

// optionsError is the failure of a tp_options_* call on o, labelled what ("options" or
// "environment"), with the library's reason (tp_options_error: the setting or environment
// variable and why, never the value) as the message, or the status' sentence when it gave none.
func optionsError(o *C.tp_options, st C.tp_status, what string) error {
	if why := C.GoString(C.tp_options_error(o)); why != "" {
		return &Error{Status: Status(st), what: what, Message: why}
	}
	return statusError("", st, what)
}

// int32Of clamps n for an int32_t parameter: a conversion would wrap (1<<32 + 1 becomes 1),
// clamped the library's own range check refuses it with its reason.
func int32Of(n int64) C.int32_t {
	return C.int32_t(max(math.MinInt32, min(math.MaxInt32, n)))
}

// cString copies s for C, to be freed with C.free. C reads a string up to its first NUL, so a
// string holding one is refused: "victim\x00-user42" would name the database "victim". The
// error names what the string is, never its value (it may be a token).
func cString(op, s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &Error{Status: StatusInvalidArgument, Op: op, what: "call", Message: what + " contains a NUL byte"}
	}
	return C.CString(s), nil
}

func setString(o *C.tp_options, set func(*C.tp_options, *C.char) C.tp_status, value, name string) error {
	if strings.IndexByte(value, 0) >= 0 { // as cString: never the value, it may be the token
		return &Error{Status: StatusInvalidArgument, what: "options", Message: name + " contains a NUL byte"}
	}
	cs := C.CString(value)
	defer C.free(unsafe.Pointer(cs))
	if st := set(o, cs); st != C.TP_OK {
		return optionsError(o, st, "options")
	}
	return nil
}

func apply(o *C.tp_options, opts Options) error {
	type setting struct {
		value string
		set   func(*C.tp_options, *C.char) C.tp_status
		name  string
	}
	for _, s := range []setting{
		{opts.Token, func(o *C.tp_options, v *C.char) C.tp_status { return C.tp_options_set_token(o, v) }, "token"},
		{opts.BaseURL, func(o *C.tp_options, v *C.char) C.tp_status { return C.tp_options_set_base_url(o, v) }, "base URL"},
		{opts.Org, func(o *C.tp_options, v *C.char) C.tp_status { return C.tp_options_set_org(o, v) }, "org"},
		{opts.UserAgent, func(o *C.tp_options, v *C.char) C.tp_status { return C.tp_options_set_user_agent(o, v) }, "user agent"},
	} {
		if s.value != "" {
			if err := setString(o, s.set, s.value, s.name); err != nil {
				return err
			}
		}
	}
	// Zero keeps the default; anything else goes to the library, which refuses a negative value.
	if opts.Timeout != 0 {
		if opts.Timeout > MaxTimeout {
			return &Error{Status: StatusInvalidArgument, what: "options", Message: "timeout must be at most " + MaxTimeout.String()}
		}
		if st := C.tp_options_set_timeout_ms(o, int32Of(opts.Timeout.Milliseconds())); st != C.TP_OK {
			return optionsError(o, st, "options")
		}
	}
	// One of the two alone keeps the library's default for the other (the C call sets both).
	if opts.MaxAttempts != 0 || opts.RetryBaseDelay != 0 {
		attempts, delay := int64(DefaultMaxAttempts), DefaultRetryBaseDelay.Milliseconds()
		if opts.MaxAttempts != 0 {
			attempts = int64(opts.MaxAttempts)
		}
		if opts.RetryBaseDelay != 0 {
			delay = opts.RetryBaseDelay.Milliseconds()
		}
		st := C.tp_options_set_retry(o, int32Of(attempts), int32Of(delay))
		if st != C.TP_OK {
			return optionsError(o, st, "options")
		}
	}
	return nil
}

func newClient(fromEnv bool, opts Options) (*Client, error) {
	var o *C.tp_options
	var st C.tp_status
	if fromEnv {
		st = C.tp_options_from_env(&o)
	} else {
		st = C.tp_options_new(&o)
	}
	// A refused environment value hands back options too, carrying the reason; free them always.
	defer C.tp_options_free(o)
	if st != C.TP_OK {
		what := "options"
		if fromEnv {
			what = "environment"
		}
		return nil, optionsError(o, st, what)
	}
	if err := apply(o, opts); err != nil {
		return nil, err
	}
	client := &Client{}
	if st := C.tp_client_new(o, &client.c); st != C.TP_OK {
		return nil, statusError("", st, "client")
	}
	return client, nil
}

// NewClient makes a client from opts alone.
func NewClient(opts Options) (*Client, error) { return newClient(false, opts) }

// FromEnv makes a client from the environment, as the official CLI reads it (TURSO_API_TOKEN,
// TURSO_API_BASEURL, TURSO_ORG, the CLI's settings.json); opts (optional) override it. A value
// there that the library refuses is an *Error naming the variable, e.g. "TURSO_API_BASEURL: the
// URL must start with http:// or https:// and a host".
func FromEnv(opts ...Options) (*Client, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	return newClient(true, o)
}

// Close frees the client, once every call running on it has returned. Calls made once Close
// has begun fail at once with StatusInvalidArgument, "the client is closed".
func (c *Client) Close() error {
	c.closing.Store(true)
	c.mu.Lock()
	defer c.mu.Unlock()
	C.tp_client_free(c.c)
	c.c = nil
	return nil
}

// BaseURL is the API the client talks to; "" once Close has begun.
func (c *Client) BaseURL() string {
	if c.closing.Load() {
		return ""
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return C.GoString(C.tp_client_base_url(c.c))
}

// Org is the client's default organization, "" when none or once Close has begun.
func (c *Client) Org() string {
	if c.closing.Load() {
		return ""
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return C.GoString(C.tp_client_org(c.c))
}

// Response is a successful answer.
type Response struct {
	HTTPStatus int
	Body       []byte // the raw JSON body; empty for operations that answer nothing
}

// Decode unmarshals the body into v.
func (r *Response) Decode(v any) error { return json.Unmarshal(r.Body, v) }

// setParam converts one Go argument of the operation op to its tp_params setter.
func setParam(p *C.tp_params, op, name string, value any) error {
	cname, err := cString(op, name, fmt.Sprintf("argument name %q", name))
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	if s, ok := value.(string); ok {
		cv, err := cString(op, s, fmt.Sprintf("argument %q", name))
		if err != nil {
			return err
		}
		defer C.free(unsafe.Pointer(cv))
		return paramError(C.tp_params_set_string(p, cname, cv), op, name, value)
	}
	if why := unsendable(value); why != "" {
		return &Error{Status: StatusInvalidArgument, Op: op, Message: fmt.Sprintf("argument %q (%T) %s", name, value, why)}
	}
	return paramError(setValue(p, cname, value), op, name, value)
}

// unsendable says why a number cannot be sent as it is, or "". A uint above int64 would wrap
// in conversion (and round as JSON); JSON has no NaN or infinity.
func unsendable(value any) string {
	var u uint64
	switch v := value.(type) {
	case uint:
		u = uint64(v)
	case uint64:
		u = v
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return "must be finite: JSON has no NaN or infinity"
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "must be finite: JSON has no NaN or infinity"
		}
	}
	if u > math.MaxInt64 {
		return "is out of range: an integer must fit in int64"
	}
	return ""
}

func paramError(st C.tp_status, op, name string, value any) error {
	if st == C.TP_OK {
		return nil
	}
	return &Error{Status: Status(st), Op: op, Message: fmt.Sprintf("argument %q (%T) refused", name, value)}
}

// setValue sets a value other than a string.
func setValue(p *C.tp_params, cname *C.char, value any) C.tp_status {
	switch v := value.(type) {
	case nil:
		return C.tp_params_set_null(p, cname)
	case bool:
		b := C.int32_t(0)
		if v {
			b = 1
		}
		return C.tp_params_set_bool(p, cname, b)
	case int, int8, int16, int32, int64:
		return C.tp_params_set_int64(p, cname, C.int64_t(reflect.ValueOf(v).Int()))
	case uint, uint8, uint16, uint32, uint64: // at most math.MaxInt64: setParam refused more
		return C.tp_params_set_int64(p, cname, C.int64_t(reflect.ValueOf(v).Uint()))
	case float32, float64:
		return C.tp_params_set_double(p, cname, C.double(reflect.ValueOf(v).Float()))
	case []byte:
		var ptr unsafe.Pointer
		if len(v) > 0 {
			ptr = C.CBytes(v)
			defer C.free(ptr)
		}
		return C.tp_params_set_bytes(p, cname, ptr, C.size_t(len(v)))
	default: // arrays, maps, structs: as JSON (which escapes a NUL as \u0000)
		text, err := json.Marshal(v)
		if err != nil {
			return C.TP_E_INVALID_ARGUMENT
		}
		cv := C.CString(string(text))
		defer C.free(unsafe.Pointer(cv))
		return C.tp_params_set_json(p, cname, cv)
	}
}

// Call runs the operation op (an id such as "databases.create", as listed by Operations) with
// named arguments: path parameters ("org", "db", ...), query parameters and body fields.
// Strings, bools, integers, floats, nil and []byte (multipart files) map to the C setters;
// anything else is sent as JSON. "org" defaults to the client's organization. A string with a
// NUL byte (an argument, its name, op), an unsigned integer above math.MaxInt64 and a NaN or
// infinite float are StatusInvalidArgument errors, and nothing is sent.
func (c *Client) Call(ctx context.Context, op string, args map[string]any) (*Response, error) {
	if err := ctx.Err(); err != nil {
		return nil, &Error{Status: StatusCancelled, Op: op, Message: err.Error(), ctxErr: err}
	}
	var params *C.tp_params
	if st := C.tp_params_new(&params); st != C.TP_OK {
		return nil, statusError(op, st, "params")
	}
	defer C.tp_params_free(params)
	cop, err := cString("", op, fmt.Sprintf("operation id %q", op))
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cop))
	for name, value := range args {
		if err := setParam(params, op, name, value); err != nil {
			return nil, err
		}
	}

	// Cancellation: a goroutine triggers the call's tp_cancel when ctx is done; it has ended
	// before the handle is freed.
	var cancel *C.tp_cancel
	if st := C.tp_cancel_new(&cancel); st != C.TP_OK {
		return nil, statusError(op, st, "cancel")
	}
	defer C.tp_cancel_free(cancel)
	C.tp_params_set_cancel(params, cancel)
	finished := make(chan struct{})
	watcher := make(chan struct{})
	go func() {
		defer close(watcher)
		select {
		case <-ctx.Done():
			C.tp_cancel_trigger(cancel)
		case <-finished:
		}
	}()
	defer func() { close(finished); <-watcher }()

	var result *C.tp_result
	if c.closing.Load() {
		return nil, closedError(op)
	}
	c.mu.RLock()
	if c.c == nil { // closed while this call waited for the lock
		c.mu.RUnlock()
		return nil, closedError(op)
	}
	st := C.tp_call(c.c, cop, params, &result)
	c.mu.RUnlock()
	if result == nil {
		return nil, statusError(op, st, "call")
	}
	defer C.tp_result_free(result)
	if st != C.TP_OK {
		e := &Error{
			Status:     Status(st),
			HTTPStatus: int(C.tp_result_http_status(result)),
			Message:    C.GoString(C.tp_result_message(result)),
			Op:         op,
		}
		if st == C.TP_E_CANCELLED {
			e.ctxErr = ctx.Err()
		}
		return nil, e
	}
	var n C.size_t
	body := C.tp_result_body(result, &n)
	return &Response{
		HTTPStatus: int(C.tp_result_http_status(result)),
		Body:       C.GoBytes(unsafe.Pointer(body), C.int(n)),
	}, nil
}

// Operations lists the operation ids the library knows.
func Operations() []string {
	n := int(C.tp_op_count())
	ids := make([]string, 0, n)
	for i := 0; i < n; i++ {
		ids = append(ids, C.GoString(C.tp_op_id(C.int32_t(i))))
	}
	return ids
}
