package carik_test

import (
	"encoding/json"
	"fmt"

	"github.com/CarikBot/carik-go/carik"
)

// Members of a payment's data that have no Go field are in Data.Extra, as sent: a vendor's
// fields are read from there without parsing the body again; the amount keeps its exact text.
func ExamplePaymentData_extra() {
	body := []byte(`{"event": "payment", "vendor_id": "midtrans", "data": {"transaction_id": "T-1",
		"amount": 150000.50, "customer": {"name": "Budi"}, "fee": 2500}}`)
	ev, err := carik.Parse(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := ev.(*carik.PaymentEvent)
	var customer struct {
		Name string `json:"name"`
	}
	if raw, ok := p.Data.Extra["customer"]; ok {
		_ = json.Unmarshal(raw, &customer)
	}
	fmt.Println(customer.Name, p.Data.Amount, string(p.Data.Extra["fee"]))
	// Output: Budi 150000.50 2500
}
