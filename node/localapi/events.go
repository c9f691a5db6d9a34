package localapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/pigeon-net/pigeon/node"
)

const (
	pingInterval = 30 * time.Second
	pingTimeout  = 15 * time.Second
	writeTimeout = 15 * time.Second
)

// handleEvents streams node events over a WebSocket, one JSON text frame per
// event. The stream is server-to-client only: a data frame from the client
// closes it. A client that stops reading is cut off after writeTimeout; one
// that falls behind by more than the node's subscription buffer gets a
// "dropped" event.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if !s.trackConn() {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "server closing")
		return
	}
	defer s.conns.Done()

	// The default origin check stays on: a page may only open the stream
	// from the origin it was served from (the daemon's web UI).
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.logger.Debug("websocket accept failed", "err", err)
		return // Accept has written the response
	}
	defer c.CloseNow()

	sub := node.Subscribe[node.Event](s.node)
	defer sub.Close()

	// CloseRead answers pings and the close handshake; ctx ends when the
	// client goes away. The request context must not be used after Accept.
	ctx := c.CloseRead(context.Background())
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()

	var reported uint64 // sub.Dropped() already told to the client
	// Names of contacts and groups, read again when an event may have
	// changed them (before that event is written).
	nm := s.loadNames(ctx)
	write := func(ev Event) bool {
		b, err := json.Marshal(ev)
		if err != nil {
			return false
		}
		wctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		return c.Write(wctx, websocket.MessageText, b) == nil
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			c.Close(websocket.StatusGoingAway, "server closing")
			return
		case <-ping.C:
			pctx, cancel := context.WithTimeout(ctx, pingTimeout)
			err := c.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		case e, ok := <-sub.Events():
			if !ok {
				c.Close(websocket.StatusGoingAway, "node closed")
				return
			}
			if d := sub.Dropped(); d > reported {
				if !write(Event{Type: EventDropped, Count: d - reported}) {
					return
				}
				reported = d
			}
			if changesNames(e) {
				nm = s.loadNames(ctx)
			}
			if ev, ok := eventJSON(e); ok {
				nm.event(&ev)
				if !write(ev) {
					return
				}
			}
		}
	}
}
