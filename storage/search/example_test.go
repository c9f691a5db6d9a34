package search_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/pigeon-net/pigeon/storage"
	"github.com/pigeon-net/pigeon/storage/search"
)

func Example() {
	dir, _ := os.MkdirTemp("", "search-example-*")
	defer os.RemoveAll(dir)
	ix, err := search.Open(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ix.Close()
	ctx := context.Background()
	chat := storage.Account{1}
	at := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)

	var b search.Batch
	b.Put(search.Doc{ID: storage.NewMessageID(at), Chat: chat, Sender: chat, At: at, Text: "Meet me at the Café in 東京都"})
	b.SetMark(1)
	if err := ix.Apply(ctx, &b); err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []string{"cafe", "東京"} {
		res, err := ix.Query(ctx, q, search.QueryOptions{Order: search.Newest, Chat: chat})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, h := range res.Hits {
			sn := h.Snippet
			for _, r := range sn.Highlights {
				fmt.Printf("%s: %q in %q\n", q, sn.Text[r.Start:r.End], sn.Text)
			}
		}
	}
	_, err = ix.Query(ctx, "?!", search.QueryOptions{})
	fmt.Println(err)
	// Output:
	// cafe: "Café" in "Meet me at the Café in 東京都"
	// 東京: "東京" in "Meet me at the Café in 東京都"
	// search: empty query: type at least one letter or digit
}
