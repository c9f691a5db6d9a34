// Package streamtest drives a protocol's stream handler with raw bytes
// over a real libp2p connection on 127.0.0.1, for the fuzz targets of the
// stream framing loops: whatever a peer sends, the handler must end the
// stream within a bound once the input has ended.
package streamtest

import (
	"context"
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// HangLimit bounds how long a handler may take to end a stream once its
// input has ended; Feed fails the test beyond it.
const HangLimit = 10 * time.Second

// MaxAnswer bounds what Feed keeps of an answer.
const MaxAnswer = 4 << 20

// Pair is a client and a server host, connected.
type Pair struct {
	Client, Server host.Host
	// Limit is the bound Feed gives a handler (HangLimit unless set).
	Limit time.Duration
}

// NewPair starts the two hosts, closed when tb ends. clientKey fixes the
// client's peer ID (so seeds can carry certificates naming it); nil makes
// a fresh one.
func NewPair(tb testing.TB, clientKey crypto.PrivKey) *Pair {
	tb.Helper()
	opts := []libp2p.Option{libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay()}
	server, err := libp2p.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { server.Close() })
	if clientKey != nil {
		opts = append(opts, libp2p.Identity(clientKey))
	}
	client, err := libp2p.New(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { client.Close() })
	if err := client.Connect(context.Background(), peer.AddrInfo{ID: server.ID(), Addrs: server.Addrs()}); err != nil {
		tb.Fatal(err)
	}
	return &Pair{Client: client, Server: server, Limit: HangLimit}
}

// Feed opens a stream of proto from the client, writes input, closes its
// side and reads what the server answers until the server ends the stream;
// it returns the answer (at most MaxAnswer bytes) and the error that ended
// it (nil: closed). It fails tb when the server has not ended the stream
// HangLimit after the input ended, or has not read the input within it.
func (p *Pair) Feed(tb testing.TB, proto protocol.ID, input []byte) ([]byte, error) {
	tb.Helper()
	limit := p.Limit
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	st, err := p.Client.NewStream(ctx, p.Server.ID(), proto)
	if err != nil {
		tb.Fatalf("open %s stream: %v", proto, err)
	}
	defer st.Reset()
	wrote := make(chan error, 1)
	go func() {
		_ = st.SetWriteDeadline(time.Now().Add(limit))
		_, err := st.Write(input)
		if err == nil {
			err = st.CloseWrite()
		}
		wrote <- err
	}()
	_ = st.SetReadDeadline(time.Now().Add(2 * limit))
	answer, err := io.ReadAll(io.LimitReader(st, MaxAnswer))
	if len(answer) == MaxAnswer {
		_, err = io.Copy(io.Discard, st) // the rest, to see how it ends
	}
	werr := <-wrote
	if timedOut(werr) {
		tb.Fatalf("%s handler did not read its input within %v", proto, limit)
	}
	if timedOut(err) {
		tb.Fatalf("%s handler did not end the stream within %v of its input", proto, limit)
	}
	var se *network.StreamError
	if err != nil && !errors.As(err, &se) && !errors.Is(err, network.ErrReset) {
		tb.Fatalf("%s stream: %v", proto, err)
	}
	return answer, err
}

func timedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
