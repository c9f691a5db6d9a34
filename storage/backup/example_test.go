package backup_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/pigeon-net/pigeon/storage/backup"
)

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "pigeon-backup-example")
	defer os.RemoveAll(dir)

	key, _ := backup.NewRecoveryKey() // shown to the user once
	secret, err := backup.ParseRecoveryKey(strings.ToLower(key))
	if err != nil {
		panic(err)
	}
	target, _ := backup.NewDir(dir)
	repo, err := backup.Init(ctx, target, secret)
	if err != nil {
		panic(err)
	}
	item := backup.Item{Name: "acctlog", Size: 5, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader("hello")), nil
	}}
	if _, _, err := repo.Backup(ctx, []backup.Item{item}, backup.BackupOptions{}); err != nil {
		panic(err)
	}

	repo, _ = backup.Open(ctx, target, secret) // e.g. on a new machine
	err = repo.Restore(ctx, "latest", backup.RestoreOptions{}, func(name string, size int64, rd io.Reader) error {
		b, err := io.ReadAll(rd)
		fmt.Printf("%s: %s\n", name, b)
		return err
	})
	fmt.Println(err)
	// Output:
	// acctlog: hello
	// <nil>
}
