package turso

import (
	"context"
	"fmt"
)

// Database is a logical database as the API describes it.
type Database struct {
	Name     string `json:"Name"`
	Hostname string `json:"Hostname"`
	DbID     string `json:"DbId"`
	Group    string `json:"group,omitempty"`
}

// CreateDatabase creates the database name in group ("" = the service's default) of the
// client's organization.
func (c *Client) CreateDatabase(ctx context.Context, name, group string) (Database, error) {
	args := map[string]any{"name": name}
	if group != "" {
		args["group"] = group
	}
	r, err := c.Call(ctx, "databases.create", args)
	if err != nil {
		return Database{}, err
	}
	var answer struct {
		Database Database `json:"database"`
	}
	if err := r.Decode(&answer); err != nil {
		return Database{}, fmt.Errorf("turso: databases.create: %w", err)
	}
	if d := answer.Database; d.Name == "" || d.DbID == "" || d.Hostname == "" {
		return Database{}, missing(r, "databases.create", "database.Name, DbId and Hostname")
	}
	return answer.Database, nil
}

// TokenOptions are the optional settings of a database token.
type TokenOptions struct {
	Expiration string // e.g. "1w2d", "never" (default)
	ReadOnly   bool
}

// CreateDatabaseToken mints a token (a JWT) for the database db.
func (c *Client) CreateDatabaseToken(ctx context.Context, db string, opts TokenOptions) (string, error) {
	args := map[string]any{"db": db}
	if opts.Expiration != "" {
		args["expiration"] = opts.Expiration
	}
	if opts.ReadOnly {
		args["authorization"] = "read-only"
	}
	r, err := c.Call(ctx, "databases.create_token", args)
	if err != nil {
		return "", err
	}
	var answer struct {
		JWT string `json:"jwt"`
	}
	if err := r.Decode(&answer); err != nil {
		return "", fmt.Errorf("turso: databases.create_token: %w", err)
	}
	if answer.JWT == "" {
		return "", missing(r, "databases.create_token", "jwt")
	}
	return answer.JWT, nil
}

// ListDatabases lists the databases of the client's organization.
func (c *Client) ListDatabases(ctx context.Context) ([]Database, error) {
	r, err := c.Call(ctx, "databases.list", nil)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Databases []Database `json:"databases"`
	}
	if err := r.Decode(&answer); err != nil {
		return nil, fmt.Errorf("turso: databases.list: %w", err)
	}
	if answer.Databases == nil { // absent or null; [] decodes to an empty slice
		return nil, missing(r, "databases.list", "databases")
	}
	return answer.Databases, nil
}

// missing is the error for a 2xx answer without a field a helper returns: an empty database
// name or token handed back as a success could be stored and used.
func missing(r *Response, op, fields string) error {
	return &Error{Status: StatusBadResponse, HTTPStatus: r.HTTPStatus, Op: op, Message: "the answer has no " + fields}
}

// DeleteDatabase deletes the database name.
func (c *Client) DeleteDatabase(ctx context.Context, name string) error {
	_, err := c.Call(ctx, "databases.delete", map[string]any{"db": name})
	return err
}
