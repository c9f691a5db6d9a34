// Package devices is the linked-devices feature (n.Devices()): one
// account on several devices (a phone, a laptop, a browser), each with its
// own libp2p key and Signal identity, certified by the account key.
//
// The device that holds the account key links new devices: Link makes a
// one-time link code (protocol/link) that the new device uses with
// node.LinkDevice (`pigeon init --link CODE`). Both show the same
// six-digit confirmation code; once the user confirms it here (Answer, or
// the confirm function given to Link), the account key certifies the new
// device, the new device list is published, and the new device pulls the
// account's history from this one (the account log). Revoke removes a
// device from the list: contacts stop encrypting to it, and its
// operations after the last this device holds are no longer accepted. The
// list keeps the revoked device's certificate with that bound, so what it
// did before stays in the history of devices linked later.
//
// List shows every device with what the account log knows of it (its
// name and platform) and when it was last seen. Nothing unlinks a device
// by itself, however long it stays away.
//
// Lock order: Service.mu is a leaf.
package devices
