package carik

import "unsafe"

// The strings and raw values a decoded event keeps are copied from the body (so that they do
// not alias the bytes Raw returns, which the caller may change) into a few blocks instead of one
// allocation each. A block is only ever appended to, so what was handed out never changes.

// Block sizes of the arena: a value longer than arenaLarge gets a block of its own.
const (
	arenaFirst = 512
	arenaMax   = 8 << 10
	arenaLarge = 1 << 10
)

// keep returns a copy of b in the arena, with no room to grow into its neighbours.
func (d *decoder) keep(b []byte) []byte {
	if len(b) > arenaLarge {
		return append([]byte(nil), b...)
	}
	if len(d.arena)+len(b) > cap(d.arena) {
		d.arena = make([]byte, 0, min(max(arenaFirst, 2*cap(d.arena)), arenaMax))
	}
	start := len(d.arena)
	d.arena = append(d.arena, b...)
	return d.arena[start:len(d.arena):len(d.arena)]
}

// keepString returns b as a string in the arena.
func (d *decoder) keepString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	k := d.keep(b)
	return unsafe.String(&k[0], len(k))
}
