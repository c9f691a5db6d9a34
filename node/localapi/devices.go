package localapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/node/devices"
)

// Device is one device of the account (GET /v1/devices).
type Device struct {
	ID       uint32    `json:"id"`
	Name     string    `json:"name"` // "" until a device named it
	Platform string    `json:"platform"`
	PeerID   string    `json:"peer_id"`
	AddedAt  time.Time `json:"added_at"`
	// LastSeen is when this device last had a connection to the device
	// (absent: never since it was linked); Online says it has one now
	// (always true for This).
	LastSeen time.Time `json:"last_seen,omitzero"`
	Online   bool      `json:"online"`
	This     bool      `json:"this"` // the device answering
}

// Devices is the response of GET /v1/devices.
type Devices struct {
	Devices []Device `json:"devices"` // this device first, then by ID
	// HoldsAccountKey says whether this device holds the account key: only
	// such a device links and revokes devices.
	HoldsAccountKey bool `json:"holds_account_key"`
	// StateHash is the account's state hash on this device (hex): two
	// devices of the account with the same operations show the same.
	StateHash string `json:"state_hash"`
}

// LinkOffer is the response of POST /v1/devices/link: a one-time link code
// for `pigeon init --link CODE` on the new device. QRText is the same code
// for a QR code (GET /v1/qr.svg?text=QRText).
type LinkOffer struct {
	Code    string    `json:"code"`
	QRText  string    `json:"qr_text"`
	Expires time.Time `json:"expires"`
}

// WithdrawLink is the body of DELETE /v1/devices/link: the code to close.
type WithdrawLink struct {
	Code string `json:"code"`
}

// LinkAnswer is the body of POST /v1/devices/link-requests/{id}.
type LinkAnswer struct {
	Accept bool `json:"accept"`
}

// RenameDevice is the body of PUT /v1/devices/{id}.
type RenameDevice struct {
	Name string `json:"name"`
}

func (s *Server) deviceRoutes() {
	s.mux.HandleFunc("GET /v1/devices", s.handleDevices)
	s.mux.HandleFunc("POST /v1/devices/link", s.handleLinkDevice)
	s.mux.HandleFunc("DELETE /v1/devices/link", s.handleWithdrawLink)
	s.mux.HandleFunc("POST /v1/devices/link-requests/{id}", s.handleLinkAnswer)
	s.mux.HandleFunc("PUT /v1/devices/{id}", s.handleRenameDevice)
	s.mux.HandleFunc("DELETE /v1/devices/{id}", s.handleRevokeDevice)
}

// pathDevice parses the {id} of a device path: a device number (1 or more).
func pathDevice(r *http.Request) (uint32, error) {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 32)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%w: device ID %q: want a device number (GET /v1/devices lists them)", errBadRequest, r.PathValue("id"))
	}
	return uint32(id), nil
}

func (s *Server) deviceJSON(d devices.Device) Device {
	return Device{
		ID:       d.ID,
		Name:     d.Name,
		Platform: d.Platform,
		PeerID:   d.PeerID.String(),
		AddedAt:  utc(d.AddedAt),
		LastSeen: utc(d.LastSeen),
		Online:   d.This || s.node.Host().Network().Connectedness(d.PeerID) == network.Connected,
		This:     d.This,
	}
}

func (s *Server) handleDevices(w http.ResponseWriter, r *http.Request) {
	ds, err := s.node.Devices().List(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hash, err := s.node.Devices().StateHash(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := Devices{Devices: make([]Device, len(ds)), HoldsAccountKey: s.node.Devices().HoldsAccountKey(), StateHash: hash}
	for i, d := range ds {
		out.Devices[i] = s.deviceJSON(d)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleLinkDevice(w http.ResponseWriter, r *http.Request) {
	o, err := s.node.Devices().Link(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, LinkOffer{Code: o.Code, QRText: o.QRText, Expires: utc(o.Expires)})
}

func (s *Server) handleWithdrawLink(w http.ResponseWriter, r *http.Request) {
	var req WithdrawLink
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Devices().Withdraw(req.Code); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleLinkAnswer(w http.ResponseWriter, r *http.Request) {
	var req LinkAnswer
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.node.Devices().Answer(r.PathValue("id"), req.Accept); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRenameDevice(w http.ResponseWriter, r *http.Request) {
	id, err := pathDevice(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("rename device: %w", err))
		return
	}
	var req RenameDevice
	if err := decodeBody(w, r, &req, false); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.knownDevice(r, id); err != nil {
		s.fail(w, r, fmt.Errorf("rename device: %w", err))
		return
	}
	if err := s.node.Devices().Rename(r.Context(), id, req.Name); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// knownDevice refuses a device the account does not list: Rename names any
// device number it is given.
func (s *Server) knownDevice(r *http.Request, id uint32) error {
	ds, err := s.node.Devices().List(r.Context())
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.ID == id {
			return nil
		}
	}
	return fmt.Errorf("%w: %d", devices.ErrUnknownDevice, id)
}

func (s *Server) handleRevokeDevice(w http.ResponseWriter, r *http.Request) {
	id, err := pathDevice(r)
	if err != nil {
		s.fail(w, r, fmt.Errorf("revoke device: %w", err))
		return
	}
	if err := s.node.Devices().Revoke(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
