package demo

import (
	"net/http"
	"strconv"
	"sync"
)

// RegistryFault is what the demo registry answers ferry while broken: an
// HTTP status (401, 403, 404, 429, 500…), or Hang — it accepts and never
// answers. The world's own pushes and its controller are not affected.
type RegistryFault int

// Hang: the registry accepts every request and never answers it.
const Hang RegistryFault = -1

// faults wraps the registry's handler with a fault that tests switch on
// and off, so the console's handling and its recovery can be watched.
type faults struct {
	next http.Handler

	mu     sync.Mutex
	fault  RegistryFault
	healed chan struct{} // closed on Heal: hung requests answer then
}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	fault, healed := f.fault, f.healed
	f.mu.Unlock()
	switch {
	case fault == 0:
	case fault == Hang:
		select {
		case <-healed:
		case <-r.Context().Done():
			return
		}
	default:
		if fault == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="demo"`)
		}
		if fault == http.StatusTooManyRequests || fault >= 500 {
			w.Header().Set("Retry-After", "0") // ferry's bounded retries end at once
		}
		http.Error(w, `{"errors":[{"code":"DENIED","message":"demo fault `+strconv.Itoa(int(fault))+`"}]}`, int(fault))
		return
	}
	f.next.ServeHTTP(w, r)
}

func (f *faults) set(fault RegistryFault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fault == Hang && fault != Hang {
		close(f.healed)
	}
	if fault == Hang && f.fault != Hang {
		f.healed = make(chan struct{})
	}
	f.fault = fault
}

// BreakRegistry makes the registry answer ferry with the fault until
// HealRegistry.
func (w *World) BreakRegistry(f RegistryFault) { w.registryFaults.set(f) }

// HealRegistry makes the registry answer again; hung requests go on.
func (w *World) HealRegistry() { w.registryFaults.set(0) }
