package nodetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/backup"
	"github.com/pigeon-net/pigeon/node/devices"
)

// Link makes a new device of node from's account, as a person does with a
// link code: it adds a home, links it (node.LinkDevice) with from
// answering yes once both sides showed the same confirmation code, starts
// it, and returns its index. The new node then pulls the account's
// history by itself.
func (nw *Network) Link(from int, name string) int {
	nw.tb.Helper()
	old := nw.Nodes[from]
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	offer, err := old.Devices().Link(ctx)
	if err != nil {
		nw.tb.Fatal(err)
	}
	reqs := node.Subscribe[devices.LinkRequest](old)
	defer reqs.Close()
	shown := make(chan string, 1)
	answered := make(chan error, 1)
	go func() {
		select {
		case req := <-reqs.Events():
			sas := <-shown
			if sas != req.SAS {
				_ = old.Devices().Answer(req.ID, false)
				answered <- fmt.Errorf("confirmation codes differ: %s here, %s on the new device", req.SAS, sas)
				return
			}
			answered <- old.Devices().Answer(req.ID, true)
		case <-ctx.Done():
			answered <- ctx.Err()
		}
	}()
	i := len(nw.Nodes)
	nw.Nodes = append(nw.Nodes, nil)
	nw.Homes = append(nw.Homes, nw.tb.TempDir())
	nw.extra = append(nw.extra, nw.extra[from])
	_, _, err = node.LinkDevice(ctx, nw.Homes[i], offer.Code, node.LinkOptions{
		Name: name, ShowCode: func(sas string) { shown <- sas },
	})
	if err != nil {
		nw.tb.Fatal(err)
	}
	if err := <-answered; err != nil {
		nw.tb.Fatal(err)
	}
	nw.Start(i)
	return i
}

// SameState waits until the nodes ns, devices of one account, show one
// account state hash (Devices().StateHash): they hold the same changes.
func SameState(tb testing.TB, ns ...*node.Node) {
	tb.Helper()
	var hs []string
	Eventually(tb, Wait, func() bool {
		hs = hs[:0]
		for _, n := range ns {
			h, err := n.Devices().StateHash(context.Background())
			if err != nil {
				tb.Fatal(err)
			}
			hs = append(hs, h)
		}
		for _, h := range hs {
			if h != hs[0] {
				return false
			}
		}
		return true
	}, "one account state (hashes %v)", later(func() string { return fmt.Sprint(hs) }))
}

// later formats as what its function returns when formatted: a failure
// message then shows the values of the last poll, not of the call.
type later func() string

func (l later) String() string { return l() }

// Restore makes a new home a device of the account backed up at ro.From
// (node.RestoreBackup), starts it like the others, and returns its index.
func (nw *Network) Restore(ro backup.RestoreOptions) int {
	nw.tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Wait)
	defer cancel()
	i := len(nw.Nodes)
	nw.Nodes = append(nw.Nodes, nil)
	nw.Homes = append(nw.Homes, nw.tb.TempDir())
	nw.extra = append(nw.extra, nw.extra[0])
	if _, _, err := node.RestoreBackup(ctx, nw.Homes[i], ro); err != nil {
		nw.tb.Fatal(err)
	}
	nw.Start(i)
	return i
}
