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
	"strings"
	"sync"
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
	Op         string // the operation id, "" for a raw request
	ctxErr     error
}

func (e *Error) Error() string {
	op := e.Op
	if op == "" {
		op = "request"
	}
	if e.HTTPStatus != 0 {
		return fmt.Sprintf("turso: %s: %s (HTTP %d): %s", op, e.Status, e.HTTPStatus, e.Message)
	}
	return fmt.Sprintf("turso: %s: %s: %s", op, e.Status, e.Message)
}

// Unwrap gives the context's error when the call was cancelled through its context, so that
// errors.Is(err, context.Canceled) and errors.Is(err, context.DeadlineExceeded) work.
func (e *Error) Unwrap() error { return e.ctxErr }

// Version is the version of the loaded C library, e.g. "0.1.0".
func Version() string { return C.GoString(C.tp_version()) }

// Options are a client's settings; zero values keep the library's defaults.
type Options struct {
	Token          string        // platform API token
	BaseURL        string        // default https://api.turso.tech
	Org            string        // default organization
	Timeout        time.Duration // the whole call, retries and their waits included
	MaxAttempts    int           // 1 = no retry
	RetryBaseDelay time.Duration // used with MaxAttempts
	UserAgent      string
}

// Client is a connection pool and settings; safe for concurrent use. Close it when done.
type Client struct {
	mu sync.RWMutex // calls hold it shared, Close exclusively
	c  *C.tp_client
}

func statusError(op string, st C.tp_status, what string) error {
	return &Error{Status: Status(st), Op: op, Message: what + ": " + C.GoString(C.tp_status_message(st))}
}

// optionsError is statusError for a tp_options_* call on o, with the library's reason
// (tp_options_error: the setting or environment variable and why, never the value) as the
// message when it gave one.
func optionsError(o *C.tp_options, st C.tp_status, what string) error {
	if why := C.GoString(C.tp_options_error(o)); why != "" {
		return &Error{Status: Status(st), Message: why}
	}
	return statusError("", st, what)
}

// cString copies s for C, to be freed with C.free. C reads a string up to its first NUL, so a
// string holding one is refused: "victim\x00-user42" would name the database "victim". The
// error names what the string is, never its value (it may be a token).
func cString(op, s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, &Error{Status: StatusInvalidArgument, Op: op, Message: what + " contains a NUL byte"}
	}
	return C.CString(s), nil
}

func setString(o *C.tp_options, set func(*C.tp_options, *C.char) C.tp_status, value, name string) error {
	cs, err := cString("", value, name)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cs))
	if st := set(o, cs); st != C.TP_OK {
		return optionsError(o, st, name)
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
	if opts.Timeout > 0 {
		if st := C.tp_options_set_timeout_ms(o, C.int32_t(opts.Timeout.Milliseconds())); st != C.TP_OK {
			return optionsError(o, st, "timeout")
		}
	}
	if opts.MaxAttempts > 0 {
		if st := C.tp_options_set_retry(o, C.int32_t(opts.MaxAttempts), C.int32_t(opts.RetryBaseDelay.Milliseconds())); st != C.TP_OK {
			return optionsError(o, st, "retry")
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
		return nil, optionsError(o, st, "options")
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

// Close frees the client, once every call running on it has returned. Calls after Close fail
// with StatusInvalidArgument.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.tp_client_free(c.c)
	c.c = nil
	return nil
}

// BaseURL is the API the client talks to.
func (c *Client) BaseURL() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return C.GoString(C.tp_client_base_url(c.c))
}

// Org is the client's default organization, "" when none.
func (c *Client) Org() string {
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
	return paramError(setValue(p, cname, value), op, name, value)
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
	case int:
		return C.tp_params_set_int64(p, cname, C.int64_t(v))
	case int32:
		return C.tp_params_set_int64(p, cname, C.int64_t(v))
	case int64:
		return C.tp_params_set_int64(p, cname, C.int64_t(v))
	case float64:
		return C.tp_params_set_double(p, cname, C.double(v))
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
// Strings, bools, integers, float64, nil and []byte (multipart files) map to the C setters;
// anything else is sent as JSON. "org" defaults to the client's organization. A string with a
// NUL byte (an argument, its name, op) is a StatusInvalidArgument error, and nothing is sent.
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
	c.mu.RLock()
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
