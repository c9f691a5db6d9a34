package localapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/coder/websocket"
)

const (
	pingInterval = 30 * time.Second
	pingTimeout  = 15 * time.Second
	writeTimeout = 15 * time.Second
	// readBatch is how many events a stream takes from the log at a time.
	readBatch = 256
	// maxEpochLen bounds the epoch parameter (ours are 16 characters).
	maxEpochLen = 64
)

// hello is the first frame of every stream. Its fields are always
// present (Event leaves zero values out).
type hello struct {
	Type  string `json:"type"`
	Epoch string `json:"epoch"`
	Seq   uint64 `json:"seq"`
}

// handleEvents streams node events over a WebSocket, one JSON text frame per
// event, each with its sequence number. The first frame is hello (the
// epoch and the newest sequence number). A client that passes the epoch
// and the last sequence number it saw (?epoch=E&after=N) gets every event
// after N first, when the log still has them; otherwise a reset frame
// follows hello. The stream is server-to-client only: a data frame from
// the client closes it. A client that stops reading is cut off after
// writeTimeout; one that falls behind by more than the log keeps gets a
// reset frame and goes on from the newest event.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	if s.events == nil {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "no node")
		return
	}
	q := r.URL.Query()
	epoch := q.Get("epoch")
	if len(epoch) > maxEpochLen {
		writeError(w, http.StatusBadRequest, CodeBadRequest, "epoch: not one this daemon made")
		return
	}
	var after *uint64
	if q.Has("after") {
		n, err := strconv.ParseUint(q.Get("after"), 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadRequest, "after: want the seq of the last event received")
			return
		}
		after = &n
	}
	// A page may only open the stream from the daemon's own origin; a
	// program that sends no Origin has the token. (The WebSocket library
	// checks the same again.)
	if o := r.Header.Get("Origin"); o != "" && !sameOrigin(o, r.Host) {
		writeError(w, http.StatusForbidden, CodeCrossOrigin, "WebSocket from another origin refused")
		return
	}
	if !s.trackConn() {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "server closing")
		return
	}
	defer s.conns.Done()

	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.logger.Debug("websocket accept failed", "err", err)
		return // Accept has written the response
	}
	defer c.CloseNow()

	// CloseRead answers pings and the close handshake; ctx ends when the
	// client goes away. The request context must not be used after Accept.
	ctx := c.CloseRead(context.Background())
	write := func(frame []byte) bool {
		wctx, cancel := context.WithTimeout(ctx, writeTimeout)
		defer cancel()
		return c.Write(wctx, websocket.MessageText, frame) == nil
	}
	resetFrame, _ := json.Marshal(Event{Type: EventReset})

	cursor, last, reset := s.events.start(epoch, after)
	helloFrame, _ := json.Marshal(hello{Type: EventHello, Epoch: s.events.epoch, Seq: last})
	if !write(helloFrame) || (reset && !write(resetFrame)) {
		return
	}
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			c.Close(websocket.StatusGoingAway, "server closing")
			return
		default:
		}
		evs, lost, next, wake, closed := s.events.read(cursor, readBatch)
		if lost {
			if !write(resetFrame) {
				return
			}
			cursor = next
			continue
		}
		for _, e := range evs {
			if !write(e.frame) {
				return
			}
		}
		cursor = next
		if closed {
			c.Close(websocket.StatusGoingAway, "node closed")
			return
		}
		if len(evs) > 0 {
			continue
		}
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
		case <-wake:
		}
	}
}
