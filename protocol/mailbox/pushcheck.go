package mailbox

import "github.com/pigeon-net/pigeon/protocol/pb"

// WithPushCheck has the service ask check about the push endpoint (a
// marshaled pb.PushEndpoint) of every registration that carries one. A
// refusal keeps the endpoint out of the stored registration (the device is
// not woken through it); either way the answer goes back to the device in
// MailboxRegistered.push, so it can show why it is not woken. Without it
// the service accepts every endpoint when WithWake is set, and refuses
// them all as PUSH_REFUSAL_DISABLED when not.
func WithPushCheck(check func(box Box, push []byte) pb.PushRefusal) Option {
	return func(c *config) error {
		c.pushCheck = check
		return once(c, "push check")
	}
}

// checkPush decides about reg's push endpoint, dropping it from reg when
// refused, and returns what to tell the device (nil: it sent none).
func (s *Service) checkPush(reg *Registration) *pb.PushStatus {
	if len(reg.Push) == 0 {
		return nil
	}
	why := pb.PushRefusal_PUSH_REFUSAL_NONE
	switch {
	case s.cfg.pushCheck != nil:
		why = s.cfg.pushCheck(reg.Box, reg.Push)
	case s.cfg.wake == nil:
		why = pb.PushRefusal_PUSH_REFUSAL_DISABLED
	}
	if why != pb.PushRefusal_PUSH_REFUSAL_NONE {
		reg.Push = nil
	}
	return &pb.PushStatus{Refusal: why}
}
