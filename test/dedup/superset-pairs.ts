/**
 * Held-out superset pairs: a fact and a version of it that says the same and more (written before
 * the containment rule was tuned). Each pair must end with the shorter fact removed in favour of
 * the longer, or listed for review; never neither.
 */
export const SUPERSET_PAIRS: [short: string, long: string][] = [
  // Added time qualifiers.
  ["The Porto store opens at 10:00.", "The Porto store opens at 10:00 on weekdays and Saturdays."],
  ["The Lyon warehouse closes at 18:00.", "The Lyon warehouse closes at 18:00 from Monday to Friday."],
  ["Returns are processed within 5 days.", "Returns are processed within 5 days during the summer sale."],
  [
    "The Bergen café serves breakfast until 11:00.",
    "The Bergen café serves breakfast until 11:00 on Sundays.",
  ],
  [
    "Stock counts take place every quarter.",
    "Stock counts take place every quarter, usually in the last week.",
  ],
  ["Payroll runs on the 25th.", "Payroll runs on the 25th of each month."],
  // "(since …)" and other parentheses.
  [
    "Orders from Lyon ship from the Porto warehouse.",
    "Orders from Lyon ship from the Porto warehouse (since 2024).",
  ],
  ["The loyalty card gives 5% off.", "The loyalty card gives 5% off (since March 2025)."],
  ["Gift wrapping costs €3.", "Gift wrapping costs €3 (free for members)."],
  ["Anna Holm manages the Oslo store.", "Anna Holm manages the Oslo store (since 2023)."],
  ["Invoices are sent as PDF.", "Invoices are sent as PDF (one per order)."],
  // Audience or region added.
  ["Shipping is free above €50.", "Shipping is free above €50 for EU orders."],
  ["Returns are accepted within 30 days.", "Returns are accepted within 30 days for online purchases."],
  [
    "Click and collect is available in every store.",
    "Click and collect is available in every store for orders placed before 16:00.",
  ],
  ["Customers get a receipt by email.", "Customers get a receipt by email for every purchase over €20."],
  ["Staff get 30% off full-price items.", "Staff get 30% off full-price items in all Nordic stores."],
  // An extra clause after a comma.
  [
    "Supplier invoices are paid within ten days.",
    "Supplier invoices are paid within ten days, by bank transfer.",
  ],
  ["The Tokyo store uses the Osaka depot.", "The Tokyo store uses the Osaka depot, which also serves Kyoto."],
  [
    "Damaged parcels are sent back to the carrier.",
    "Damaged parcels are sent back to the carrier, with photos attached.",
  ],
  ["The night shift starts at 22:00.", "The night shift starts at 22:00, with a briefing at 21:45."],
  [
    "Wool coats are dry-cleaned before resale.",
    "Wool coats are dry-cleaned before resale, at the Hamburg partner.",
  ],
  ["Price tags show the price in euros.", "Price tags show the price in euros, and in kroner in Norway."],
  // A clause before the fact.
  [
    "Orders ship within two working days.",
    "Since the new depot opened, orders ship within two working days.",
  ],
  ["The Aarhus store closes at 20:00.", "From 2025, the Aarhus store closes at 20:00."],
  ["Refunds go back to the original card.", "For card payments, refunds go back to the original card."],
  // Details inserted in the middle.
  ["The Malmo store stocks the linen range.", "The Malmo store, opened in 2022, stocks the linen range."],
  ["Marta Ruiz approves every refund over €500.", "Marta Ruiz, the CFO, approves every refund over €500."],
  ["The courier collects parcels at 15:00.", "The courier collects parcels from the back door at 15:00."],
  ["Loyalty points expire after 12 months.", "Loyalty points expire after 12 months of inactivity."],
  // "and" adds a second detail.
  ["The Helsinki store has a fitting room.", "The Helsinki store has a fitting room and a tailoring corner."],
  [
    "Cashiers count the till at closing.",
    "Cashiers count the till at closing and log the total in the ledger.",
  ],
  ["Ingrid Dahl handles supplier claims.", "Ingrid Dahl handles supplier claims and carrier disputes."],
  ["The webshop accepts Klarna.", "The webshop accepts Klarna and PayPal."],
  // Names, codes and amounts carried over into a longer wording.
  ["SKU 10042 costs €45.", "SKU 10042 costs €45 including VAT."],
  ["Ticket 4411 is assigned to the returns team.", "Ticket 4411 is assigned to the returns team in Porto."],
  [
    "Order 55123 was refunded on 2026-11-02.",
    "Order 55123 was refunded on 2026-11-02 after a customer complaint.",
  ],
  [
    "Invoice INV-2026-001 is due on 2026-12-01.",
    "Invoice INV-2026-001 is due on 2026-12-01, net of the early payment discount.",
  ],
  // Reworded as well as extended: at least a review pair.
  ["The Faro store opens at 9:30.", "On weekdays and Saturdays the Faro store opens at 9:30 sharp."],
  ["Orders ship from the Lyon warehouse.", "All orders ship from the Lyon warehouse since 2024."],
  ["Gift cards are valid for two years.", "Gift cards bought online are valid for two years."],
];
