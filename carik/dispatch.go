package carik

// dispatch follows the envelope's event and data members for the generated envelope decoder:
// data is decoded by the decoder of its event as soon as the event is known, and when data
// comes first it is checked, then decoded once the event is read.
type dispatch struct {
	eventKind jsonKind // -1 when the payload has no event
	event     string
	dataKind  jsonKind // -1 when the payload has no data
	dataAt    int      // where data starts when it was read before the event, or -1
	dataBad   int      // numbers the limits refuse found in data before the event was known
	ev        Event
}

func newDispatch() dispatch { return dispatch{eventKind: -1, dataKind: -1, dataAt: -1} }

// readEvent reads the event member, checked against r.
func (x *dispatch) readEvent(d *decoder, r *stringRule) {
	x.eventKind = d.kind()
	x.event, _ = d.readString("/event", 1, r)
}

// readData reads the data member.
func (x *dispatch) readData(d *decoder) {
	x.dataKind = d.kind()
	if x.dataKind == kindObject && x.eventKind == kindString {
		x.ev = d.decodeEventData(x.event)
		return
	}
	bad := d.badNumbers
	x.dataAt, _ = d.skip(1)
	x.dataBad = d.badNumbers - bad
}

// finish applies the envelope's rule on data and decodes a data object read before the event.
func (x *dispatch) finish(d *decoder) {
	if x.dataKind >= 0 && x.dataKind != kindObject {
		d.wrongType("/data", "object", x.dataKind)
	}
	if x.dataAt >= 0 && x.dataKind == kindObject && x.eventKind == kindString {
		end := d.i
		d.i, d.badNumbers = x.dataAt, d.badNumbers-x.dataBad
		x.ev = d.decodeEventData(x.event)
		d.i = end
	}
}

// eventType is the payload's event, or "" when it has no string one.
func (x *dispatch) eventType() EventType {
	if x.eventKind != kindString {
		return ""
	}
	return EventType(x.event)
}

// unknownEventData reads the data object of an event type without a schema: whole, as a tree,
// in the default mode; strict mode refuses the event, so the data is only checked.
func (d *decoder) unknownEventData(event string) Event {
	if d.strict {
		d.skip(1)
		return nil
	}
	data, _ := d.openData().(map[string]any)
	return &UnknownEvent{Data: data, event: EventType(event)}
}

// openData reads a data object kept whole, as a tree. It checks the object first: when it holds
// a number the limits refuse, the payload is rejected and no tree is built (the rejection then
// costs the scan only, not a tree).
func (d *decoder) openData() any {
	start, bad := d.i, d.badNumbers
	d.skip(1)
	if d.badNumbers != bad {
		return nil
	}
	end := d.i
	d.i = start
	tree := d.tree(1)
	d.i = end
	return tree
}
