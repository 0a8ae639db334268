package turso_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/tursoplatform/turso"
)

// The turso-local the tests talk to: started by TestMain from $TURSO_LOCAL (the binary).
var (
	baseURL string
	token   string
)

func TestMain(m *testing.M) {
	binary := os.Getenv("TURSO_LOCAL")
	if binary == "" {
		fmt.Fprintln(os.Stderr, "set TURSO_LOCAL to the turso-local binary (tests/ffi does)")
		os.Exit(2)
	}
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		panic(err)
	}
	token = "go-" + hex.EncodeToString(secret)
	server := exec.Command(binary, "--listen", "127.0.0.1:0", "--data", ":memory:", "--token", token)
	server.Stderr = os.Stderr
	stdout, err := server.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := server.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "starting turso-local:", err)
		os.Exit(2)
	}
	lines := bufio.NewScanner(stdout)
	if lines.Scan() {
		baseURL = strings.TrimPrefix(lines.Text(), "turso-local listening on ")
	}
	go func() { // keep the pipe drained
		for lines.Scan() {
		}
	}()
	code := 2
	if strings.HasPrefix(baseURL, "http://") {
		code = m.Run()
	} else {
		fmt.Fprintln(os.Stderr, "turso-local did not print its URL")
	}
	server.Process.Kill()
	server.Wait()
	os.Exit(code)
}

func newClient(t *testing.T) *turso.Client {
	t.Helper()
	c, err := turso.NewClient(turso.Options{Token: token, BaseURL: baseURL, Org: "local"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func asError(t *testing.T, err error) *turso.Error {
	t.Helper()
	var terr *turso.Error
	if !errors.As(err, &terr) {
		t.Fatalf("want a *turso.Error, got %T: %v", err, err)
	}
	return terr
}

func TestDatabaseLifecycle(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()

	db, err := c.CreateDatabase(ctx, "go-lifecycle", "default")
	if err != nil {
		t.Fatal(err)
	}
	if db.Name != "go-lifecycle" || db.Hostname == "" || db.DbID == "" {
		t.Fatalf("unexpected database %+v", db)
	}

	_, err = c.CreateDatabase(ctx, "go-lifecycle", "default")
	if terr := asError(t, err); terr.Status != turso.StatusConflict || terr.HTTPStatus != 409 || terr.Message == "" {
		t.Fatalf("creating twice: %+v", terr)
	}

	jwt, err := c.CreateDatabaseToken(ctx, "go-lifecycle", turso.TokenOptions{Expiration: "1d", ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(jwt, ".") != 2 {
		t.Fatalf("the token is not a JWT (%d characters)", len(jwt))
	}

	dbs, err := c.ListDatabases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range dbs {
		found = found || d.Name == "go-lifecycle"
	}
	if !found {
		t.Fatalf("go-lifecycle not listed in %+v", dbs)
	}

	if err := c.DeleteDatabase(ctx, "go-lifecycle"); err != nil {
		t.Fatal(err)
	}
	err = c.DeleteDatabase(ctx, "go-lifecycle")
	if terr := asError(t, err); terr.Status != turso.StatusNotFound || terr.HTTPStatus != 404 {
		t.Fatalf("deleting twice: %+v", terr)
	}
	if !strings.Contains(err.Error(), "TP_E_NOT_FOUND") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("error text %q", err.Error())
	}
}

func TestGenericCall(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	if _, err := c.Call(ctx, "databases.create", map[string]any{"name": "go-generic", "group": "default"}); err != nil {
		t.Fatal(err)
	}
	r, err := c.Call(ctx, "databases.get", map[string]any{"db": "go-generic", "org": "local"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Database struct{ Name string }
	}
	if err := r.Decode(&got); err != nil || got.Database.Name != "go-generic" || r.HTTPStatus != 200 {
		t.Fatalf("databases.get: %v %+v (HTTP %d)", err, got, r.HTTPStatus)
	}
	// Validating the platform token answers its expiry: -1 for one that never expires.
	r, err = c.Call(ctx, "tokens.validate", nil)
	if err != nil {
		t.Fatal(err)
	}
	var v struct{ Exp int64 }
	if err := r.Decode(&v); err != nil || v.Exp == 0 {
		t.Fatalf("tokens.validate: %v %s", err, r.Body)
	}
	if _, err := c.Call(ctx, "databases.delete", map[string]any{"db": "go-generic"}); err != nil {
		t.Fatal(err)
	}
}

func TestOperations(t *testing.T) {
	ops := turso.Operations()
	want := map[string]bool{"databases.create": false, "databases.create_token": false, "tokens.validate": false}
	for _, op := range ops {
		if _, ok := want[op]; ok {
			want[op] = true
		}
	}
	for op, seen := range want {
		if !seen {
			t.Errorf("%s missing from Operations() (%d ids)", op, len(ops))
		}
	}
	if turso.Version() == "" {
		t.Error("empty Version()")
	}
}

func TestArgumentErrors(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	_, err := c.Call(ctx, "databases.no_such_operation", nil)
	terr := asError(t, err)
	if terr.Status != turso.StatusInvalidArgument || terr.HTTPStatus != 0 || terr.Message == "" {
		t.Fatalf("unknown operation: %+v", terr)
	}
	_, err = c.Call(ctx, "databases.get", map[string]any{"db": "x", "no_such_param": "y"})
	if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument {
		t.Fatalf("unknown parameter: %+v", terr)
	}
	_, err = c.Call(ctx, "databases.get", nil) // the path parameter db is missing
	if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument {
		t.Fatalf("missing parameter: %+v", terr)
	}
}

// C reads a string up to its first NUL: "go-victim\x00-user42" would delete go-victim.
func TestNULBytesAreRefused(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	if _, err := c.CreateDatabase(ctx, "go-victim", "default"); err != nil {
		t.Fatal(err)
	}
	for what, call := range map[string]func() error{
		"DeleteDatabase": func() error { return c.DeleteDatabase(ctx, "go-victim\x00-user42") },
		"Call value": func() error {
			_, err := c.Call(ctx, "databases.delete", map[string]any{"db": "go-victim\x00-user42"})
			return err
		},
		"Call name": func() error {
			_, err := c.Call(ctx, "databases.delete", map[string]any{"db": "go-victim", "db\x00x": "y"})
			return err
		},
		"Call op": func() error {
			_, err := c.Call(ctx, "databases.delete\x00x", map[string]any{"db": "go-victim"})
			return err
		},
	} {
		terr := asError(t, call())
		if terr.Status != turso.StatusInvalidArgument || terr.HTTPStatus != 0 || !strings.Contains(terr.Message, "contains a NUL byte") {
			t.Errorf("%s: %+v", what, terr)
		}
	}
	dbs, err := c.ListDatabases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range dbs {
		found = found || d.Name == "go-victim"
	}
	if !found {
		t.Fatal("go-victim was deleted")
	}
	if err := c.DeleteDatabase(ctx, "go-victim"); err != nil {
		t.Fatal(err)
	}

	for _, opts := range []turso.Options{
		{Token: token + "\x00x", BaseURL: baseURL},
		{Token: token, BaseURL: baseURL + "\x00x"},
		{Token: token, BaseURL: baseURL, Org: "local\x00x"},
		{Token: token, BaseURL: baseURL, UserAgent: "ua\x00x"},
	} {
		_, err := turso.NewClient(opts)
		terr := asError(t, err)
		if terr.Status != turso.StatusInvalidArgument || !strings.Contains(terr.Message, "contains a NUL byte") {
			t.Errorf("options %q: %+v", opts.BaseURL, terr)
		}
		if strings.Contains(err.Error(), token) {
			t.Error("the error text contains the platform token")
		}
	}
}

func TestUnauthorized(t *testing.T) {
	c, err := turso.NewClient(turso.Options{Token: "not-the-token", BaseURL: baseURL, Org: "local"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.ListDatabases(context.Background())
	if terr := asError(t, err); terr.Status != turso.StatusUnauthorized || terr.HTTPStatus != 401 {
		t.Fatalf("wrong token: %+v", terr)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatal("the error text contains the platform token")
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv("TURSO_API_TOKEN", token)
	t.Setenv("TURSO_API_BASEURL", baseURL)
	t.Setenv("TURSO_ORG", "local")
	c, err := turso.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Org() != "local" || !strings.HasPrefix(c.BaseURL(), strings.TrimSuffix(baseURL, "/")) {
		t.Fatalf("from the environment: org %q, base URL %q", c.Org(), c.BaseURL())
	}
	if _, err := c.ListDatabases(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A refused setting or environment value: the library's reason, naming the setting or the
// variable and never quoting the value.
func TestRefusedSettingsSayWhy(t *testing.T) {
	for _, c := range []struct {
		opts turso.Options
		want string
	}{
		{turso.Options{BaseURL: "http://user:s3cret@127.0.0.1:1"}, "base_url: the URL must not contain a user name or password (user@host)"},
		{turso.Options{Token: "s3cret\r\nX-Injected: 1"}, "token contains a control character (such as CR or LF)"},
		{turso.Options{MaxAttempts: 21}, "max_attempts must be from 1 to 20"},
	} {
		_, err := turso.NewClient(c.opts)
		if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument || terr.Message != c.want {
			t.Errorf("want %q, got %+v", c.want, terr)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the error quotes the value: %v", err)
		}
	}
	t.Setenv("TURSO_API_TOKEN", token)
	t.Setenv("TURSO_API_BASEURL", "localhost:8080")
	_, err := turso.FromEnv(turso.Options{BaseURL: baseURL}) // refused before any override
	want := "TURSO_API_BASEURL: the URL must start with http:// or https:// and a host"
	if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument || terr.Message != want {
		t.Errorf("want %q, got %+v", want, terr)
	}
	t.Setenv("TURSO_API_BASEURL", baseURL)
	t.Setenv("TURSO_API_TOKEN", "s3cret\nX-Injected: 1")
	_, err = turso.FromEnv()
	want = "TURSO_API_TOKEN contains a control character (such as CR or LF)"
	if terr := asError(t, err); terr.Message != want || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("want %q, got %+v", want, terr)
	}
}

// A server that accepts connections and never answers: only cancellation ends a call to it.
func silentServer(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + l.Addr().String()
}

func TestContextCancellation(t *testing.T) {
	c, err := turso.NewClient(turso.Options{Token: "t", BaseURL: silentServer(t), Org: "local", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// Cancelled while the request is in flight.
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	_, err = c.ListDatabases(ctx)
	terr := asError(t, err)
	if terr.Status != turso.StatusCancelled || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled call: %+v (%v)", terr, err)
	}

	// A deadline.
	ctx, cancel = context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = c.ListDatabases(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || asError(t, err).Status != turso.StatusCancelled {
		t.Fatalf("deadline: %v", err)
	}

	// Already cancelled: nothing is sent.
	_, err = c.ListDatabases(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("done context: %v", err)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := fmt.Sprintf("go-par-%d", i)
			db, err := c.CreateDatabase(ctx, name, "default")
			if err != nil {
				errs <- fmt.Errorf("create %s: %w", name, err)
				return
			}
			if db.Name != name {
				errs <- fmt.Errorf("create %s answered %s", name, db.Name)
				return
			}
			r, err := c.Call(ctx, "databases.get", map[string]any{"db": name})
			var got struct{ Database Database }
			if err != nil || r.Decode(&got) != nil || got.Database.Name != name {
				errs <- fmt.Errorf("get %s: %v %+v", name, err, got)
				return
			}
			if err := c.DeleteDatabase(ctx, name); err != nil {
				errs <- fmt.Errorf("delete %s: %w", name, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	dbs, err := c.ListDatabases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dbs {
		if strings.HasPrefix(d.Name, "go-par-") {
			t.Errorf("%s left behind", d.Name)
		}
	}
}

type Database = turso.Database

func TestCloseWhileIdle(t *testing.T) {
	c, err := turso.NewClient(turso.Options{Token: token, BaseURL: baseURL, Org: "local"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	_, err = c.ListDatabases(context.Background())
	if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument {
		t.Fatalf("call after Close: %+v", terr)
	}
}

// What an error's text says: what failed (not "request" for a setting or the environment), and
// the operation once even when the library's message names it too.
func TestErrorSaysWhatFailedOnce(t *testing.T) {
	t.Setenv("TURSO_API_TOKEN", token)
	t.Setenv("TURSO_API_BASEURL", "localhost:8080")
	_, err := turso.FromEnv()
	want := "turso: environment: TP_E_INVALID_ARGUMENT: TURSO_API_BASEURL: the URL must start with http:// or https:// and a host"
	if err == nil || err.Error() != want {
		t.Errorf("want %q, got %v", want, err)
	}
	_, err = turso.NewClient(turso.Options{BaseURL: "http://user:s3cret@127.0.0.1:1"})
	want = "turso: options: TP_E_INVALID_ARGUMENT: base_url: the URL must not contain a user name or password (user@host)"
	if err == nil || err.Error() != want {
		t.Errorf("want %q, got %v", want, err)
	}
	_, err = turso.NewClient(turso.Options{Org: "local\x00x"})
	want = "turso: options: TP_E_INVALID_ARGUMENT: org contains a NUL byte"
	if err == nil || err.Error() != want {
		t.Errorf("want %q, got %v", want, err)
	}

	c, err := turso.NewClient(turso.Options{Token: token, BaseURL: baseURL}) // no default organization
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.ListDatabases(context.Background())
	terr := asError(t, err)
	if !strings.HasPrefix(terr.Message, "databases.list: missing parameter 'org'") {
		t.Errorf("the library's message: %q", terr.Message)
	}
	if text := err.Error(); !strings.HasPrefix(text, "turso: databases.list: TP_E_INVALID_ARGUMENT: missing parameter 'org'") ||
		strings.Count(text, "databases.list") != 1 {
		t.Errorf("error text %q", text)
	}
	_, err = c.Call(context.Background(), "databases.list\x00x", nil)
	want = `turso: call: TP_E_INVALID_ARGUMENT: operation id "databases.list\x00x" contains a NUL byte`
	if err == nil || err.Error() != want {
		t.Errorf("want %q, got %v", want, err)
	}
}

// recorder is a server that answers every request 200 {} and records its query and body, a
// client of it, and what it has recorded so far.
func recorder(t *testing.T) (*turso.Client, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		query, _ := url.QueryUnescape(r.URL.RawQuery)
		mu.Lock()
		seen = append(seen, query+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	c, err := turso.NewClient(turso.Options{Token: "t", BaseURL: srv.URL, Org: "o", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// Under the lock: the race detector cannot see the socket ordering the handler before the call's end.
	return c, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// Numbers arrive exactly, or are refused with nothing sent: never wrapped or rounded.
func TestNumbersAreSentExactlyOrRefused(t *testing.T) {
	c, seen := recorder(t)
	ctx := context.Background()
	sent := []map[string]any{
		{"limit": uint64(math.MaxInt64)},
		{"limit": uint(7), "schema": true},
		{"name": "n", "size_limit": int8(-5), "is_schema": false},
		{"name": "n", "size_limit": float32(1.5)},
	}
	for i, args := range sent {
		op := "databases.list"
		if i >= 2 {
			op = "databases.create"
		}
		if _, err := c.Call(ctx, op, args); err != nil {
			t.Fatal(err)
		}
	}
	got := seen()
	if len(got) != 4 || got[0] != "limit=9223372036854775807 " ||
		(got[1] != "limit=7&schema=true " && got[1] != "schema=true&limit=7 ") ||
		got[2] != ` {"name":"n","size_limit":-5,"is_schema":false}` || got[3] != ` {"name":"n","size_limit":1.5}` {
		t.Fatalf("sent %q", got)
	}
	for _, c2 := range []struct {
		value any
		why   string
	}{
		{uint64(math.MaxInt64) + 1, `argument "limit" (uint64) is out of range: an integer must fit in int64`},
		{uint(math.MaxUint), `argument "limit" (uint) is out of range: an integer must fit in int64`},
		{math.NaN(), `argument "limit" (float64) must be finite: JSON has no NaN or infinity`},
		{float32(math.Inf(-1)), `argument "limit" (float32) must be finite: JSON has no NaN or infinity`},
	} {
		_, err := c.Call(ctx, "databases.list", map[string]any{"limit": c2.value})
		if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument || terr.Op != "databases.list" || terr.Message != c2.why {
			t.Errorf("want %q, got %+v", c2.why, terr)
		}
	}
	if got := seen(); len(got) != 4 {
		t.Fatalf("a refused argument was sent: %q", got[4:])
	}
}

// The library takes int32 milliseconds and attempts: a conversion would wrap 1<<32 + 1 to 1.
func TestSettingsOutOfRangeAreRefused(t *testing.T) {
	for _, c := range []struct {
		opts turso.Options
		want string
	}{
		{turso.Options{Timeout: turso.MaxTimeout + time.Millisecond}, "timeout must be at most 596h31m23.647s"},
		{turso.Options{Timeout: (1<<32 + 1) * time.Millisecond}, "timeout must be at most 596h31m23.647s"},
		{turso.Options{Timeout: -time.Second}, "timeout_ms must be greater than 0"},
		{turso.Options{MaxAttempts: 1<<32 + 1}, "max_attempts must be from 1 to 20"},
		{turso.Options{MaxAttempts: -1}, "max_attempts must be from 1 to 20"},
		{turso.Options{MaxAttempts: 2, RetryBaseDelay: (1<<32 + 1) * time.Millisecond}, "base_delay_ms must be from 0 to 60000"},
	} {
		_, err := turso.NewClient(c.opts)
		if terr := asError(t, err); terr.Status != turso.StatusInvalidArgument || terr.Message != c.want ||
			err.Error() != "turso: options: TP_E_INVALID_ARGUMENT: "+c.want {
			t.Errorf("%+v: want %q, got %v", c.opts, c.want, err)
		}
	}
	c, err := turso.NewClient(turso.Options{Timeout: turso.MaxTimeout, MaxAttempts: 20})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// One of the two retry settings alone keeps the library's default for the other: MaxAttempts
// alone waits between attempts (it retried at once), RetryBaseDelay alone is not ignored.
func TestOneRetrySettingKeepsTheOther(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"error":"slow down"}`)
	}))
	defer srv.Close()
	attempts := func(opts turso.Options) []time.Time {
		t.Helper()
		mu.Lock()
		times = nil
		mu.Unlock()
		opts.Token, opts.BaseURL, opts.Org = "t", srv.URL, "o"
		c, err := turso.NewClient(opts)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.ListDatabases(context.Background())
		if terr := asError(t, err); terr.Status != turso.StatusRateLimited {
			t.Fatalf("%+v: %v", opts, err)
		}
		mu.Lock()
		defer mu.Unlock()
		return append([]time.Time(nil), times...)
	}
	got := attempts(turso.Options{MaxAttempts: 2})
	// The delay is jittered between half and all of the base delay.
	if len(got) != 2 || got[1].Sub(got[0]) < turso.DefaultRetryBaseDelay/2 {
		t.Errorf("MaxAttempts alone: %d attempts, %v apart", len(got), got[len(got)-1].Sub(got[0]))
	}
	if got = attempts(turso.Options{RetryBaseDelay: time.Millisecond}); len(got) != turso.DefaultMaxAttempts {
		t.Errorf("RetryBaseDelay alone: %d attempts, want %d", len(got), turso.DefaultMaxAttempts)
	}
}

// A 2xx answer without the field a helper returns is an error, not an empty name or token.
func TestHelpersRefuseAnswersWithoutTheirFields(t *testing.T) {
	c, _ := recorder(t) // answers {}
	ctx := context.Background()
	if db, err := c.CreateDatabase(ctx, "d", ""); asError(t, err).Status != turso.StatusBadResponse {
		t.Errorf("CreateDatabase: %+v, %v", db, err)
	}
	if jwt, err := c.CreateDatabaseToken(ctx, "d", turso.TokenOptions{}); asError(t, err).Status != turso.StatusBadResponse {
		t.Errorf("CreateDatabaseToken: %q, %v", jwt, err)
	}
	if dbs, err := c.ListDatabases(ctx); asError(t, err).Status != turso.StatusBadResponse {
		t.Errorf("ListDatabases: %v, %v", dbs, err)
	}
}

// Once Close has begun (it waits for a call in flight), other calls fail at once, whatever their
// context says, instead of waiting for the Close.
func TestCallsFailOnceCloseBegins(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	c, err := turso.NewClient(turso.Options{Token: "t", BaseURL: "http://" + listener.Addr().String(), Org: "o", MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inFlight := make(chan error, 1)
	go func() { _, err := c.ListDatabases(ctx); inFlight <- err }()
	conn, err := listener.Accept() // the first call is in flight
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	closed := make(chan struct{})
	go func() { c.Close(); close(closed) }()
	for {
		short, stop := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := c.ListDatabases(short)
		stop()
		if terr := asError(t, err); terr.Status == turso.StatusInvalidArgument {
			if terr.Message != "the client is closed" {
				t.Errorf("after Close began: %v", err)
			}
			break
		}
		// Close had not begun yet: that call started and timed out.
	}
	select {
	case <-closed:
		t.Fatal("Close returned while a call was in flight")
	default:
	}
	if url, org := c.BaseURL(), c.Org(); url != "" || org != "" { // at once, not behind Close
		t.Errorf("settings once Close began: %q %q", url, org)
	}
	cancel()
	<-closed
	if err := <-inFlight; !errors.Is(err, context.Canceled) {
		t.Errorf("the call in flight: %v", err)
	}
}
