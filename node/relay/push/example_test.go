package push_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/pigeon-net/pigeon/node/relay/push"
)

// A relay wakes an offline device through its UnifiedPush endpoint. Here
// the distributor is a local server; a real relay leaves AllowLoopback off.
func ExampleDispatcher_Notify() {
	bodies := make(chan string, 1)
	distributor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		select {
		case bodies <- r.Method + " " + r.Header.Get("Urgency") + " " + string(b):
		default:
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer distributor.Close()

	d, err := push.New(push.Config{AllowLoopback: true, CoalesceWindow: time.Millisecond}, nil)
	if err != nil {
		panic(err)
	}
	defer d.Close()
	go func() {
		for ev := range d.Refused() { // closed by Close
			fmt.Println("forget the endpoint of", ev.Key, ev.Refusal)
		}
	}()

	ep := push.Endpoint{Kind: push.UnifiedPush, URL: distributor.URL + "/up/AbCdEf"}
	for range 3 { // three deposits in a burst: one wake-up
		if err := d.Notify(ep, "device-1"); err != nil {
			panic(err)
		}
	}
	fmt.Println(<-bodies)
	// Output: POST high {"w":1}
}

// A relay refuses endpoints on private networks unless its operator allows
// them (pigeon relay --push-allow-private lan); the refusal's text is what
// the device shows. An endpoint prints without its secret path.
func ExampleAllowPrivate() {
	lan, err := push.ParseNetworks("lan")
	if err != nil {
		panic(err)
	}
	ep := push.Endpoint{Kind: push.UnifiedPush, URL: "http://192.168.1.5:2586/upAbCdEf"}
	fmt.Println(push.RefusalOf(ep.Validate()))
	fmt.Println(push.RefusalOf(ep.Validate(push.AllowPrivate(lan...))))
	fmt.Println(ep)
	// Output:
	// private address not allowed
	// accepted
	// unifiedpush http://192.168.1.5:2586/…
}
