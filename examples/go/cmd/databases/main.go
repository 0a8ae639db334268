// Command databases creates a database, mints a token for it, lists the databases and deletes
// it, with settings from TURSO_API_TOKEN, TURSO_API_BASEURL and TURSO_ORG.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"example.com/tursoplatform/turso"
)

func main() {
	name := "example-go"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	if err := run(name); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	client, err := turso.FromEnv()
	if err != nil {
		return err
	}
	defer client.Close()
	fmt.Printf("libturso_platform %s, base URL %s, organization %s\n", turso.Version(), client.BaseURL(), client.Org())

	db, err := client.CreateDatabase(ctx, name, "default")
	if err != nil {
		return err
	}
	fmt.Printf("created: %s (hostname %s)\n", db.Name, db.Hostname)

	jwt, err := client.CreateDatabaseToken(ctx, name, turso.TokenOptions{Expiration: "1d", ReadOnly: true})
	if err != nil {
		return err
	}
	fmt.Printf("database token: %d characters\n", len(jwt))

	dbs, err := client.ListDatabases(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("databases: %d\n", len(dbs))
	for _, d := range dbs {
		fmt.Printf("  - %s\n", d.Name)
	}

	if err := client.DeleteDatabase(ctx, name); err != nil {
		return err
	}
	fmt.Printf("deleted: %s\n", name)

	var terr *turso.Error
	if err := client.DeleteDatabase(ctx, name); errors.As(err, &terr) && terr.Status == turso.StatusNotFound {
		fmt.Printf("deleting again: %s (HTTP %d)\n", terr.Status, terr.HTTPStatus)
		return nil
	}
	return fmt.Errorf("deleting again: expected TP_E_NOT_FOUND, got %v", err)
}
