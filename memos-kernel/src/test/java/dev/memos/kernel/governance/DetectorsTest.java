package dev.memos.kernel.governance;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectorsTest {
    private final Detectors all = Detectors.all();

    private Set<String> labels(String text) {
        return Detectors.labels(all.scan(text));
    }

    @Test
    void emails_are_found_and_lookalikes_are_not() {
        assertEquals(Set.of("pii.email"), labels("write to jane.doe+memos@example.co.uk today"));
        assertEquals(Set.of(), labels("meet me @ the cafe; version 2.0@build; user@localhost"));
    }

    @Test
    void payment_cards_need_a_valid_luhn_sum() {
        assertEquals(Set.of("pii.payment-card"), labels("card 4111 1111 1111 1111 exp 12/29"));
        assertEquals(Set.of("pii.payment-card"), labels("pay with 5500-0000-0000-0004"));
        assertEquals(Set.of(), labels("order number 4111 1111 1111 1112"), "fails the Luhn check");
        assertEquals(Set.of(), labels("0000 0000 0000 0000"), "a run of one digit is no card");
        assertTrue(Detectors.luhn("4012888888881881"));
        assertFalse(Detectors.luhn("79927398713"), "valid Luhn, but too short for a card");
        assertFalse(Detectors.luhn("1234567812345678"));
    }

    @Test
    void ibans_need_a_valid_check_and_plain_words_are_not_ibans() {
        assertEquals(Set.of("pii.iban"), labels("IBAN DE89 3704 0044 0532 0130 00 for the rent"));
        assertEquals(Set.of("pii.iban"), labels("GB82WEST12345698765432"));
        assertEquals(Set.of(), labels("DE89 3704 0044 0532 0130 01"), "wrong check digits");
        assertEquals(Set.of(), labels("AB12 CDEF GHIJ is a product code"));
    }

    @Test
    void ip_addresses_are_found_and_versions_are_not() {
        assertEquals(Set.of("pii.ip-address"), labels("the server at 192.168.1.20 is down"));
        assertEquals(Set.of("pii.ip-address"), labels("host 2001:db8:85a3::8a2e:370:7334"));
        assertEquals(Set.of(), labels("upgrade to 1.2.3 then 10.4.300.1 is not an address"));
        assertEquals(Set.of(), labels("release 1.2.3.4.5 and meeting at 10:30"));
    }

    @Test
    void phone_numbers_are_found_and_short_numbers_and_dates_are_not() {
        assertEquals(Set.of("pii.phone"), labels("call +44 20 7946 0958 after six"));
        assertEquals(Set.of("pii.phone"), labels("her number is (415) 555-0132"));
        assertEquals(Set.of("pii.phone"), labels("office 030 1234 5678"));
        assertEquals(Set.of(), labels("room 1204, year 2023, born 1990-05-17, ticket 12345"));
    }

    @Test
    void national_ids_are_found_and_impossible_ones_are_not() {
        assertEquals(Set.of("pii.national-id"), labels("SSN 123-45-6789 on file"));
        assertEquals(Set.of("pii.national-id"), labels("NI number AB 12 34 56 C"));
        assertEquals(Set.of(), labels("000-12-3456 and 666-12-3456 are never issued"));
        assertEquals(Set.of(), labels("QQ 12 34 56 C is HMRC's example, not a number anyone holds"));
    }

    @Test
    void findings_say_where_not_what_and_redaction_replaces_every_span() {
        String text = "Mail bob@example.org or call +1 415 555 0132.";
        List<Detectors.Finding> found = all.scan(text);
        assertEquals(List.of("pii.email@5-20", "pii.phone@29-44"), found.stream().map(Detectors.Finding::describe).toList());
        assertEquals("Mail [pii.email] or call [pii.phone].", all.redact(text));
        assertEquals(Set.of(), Detectors.labels(new Detectors(EnumSet.of(Detectors.Kind.IBAN)).scan(text)),
                "only the detectors switched on run");
        assertEquals(Detectors.Kind.PAYMENT_CARD, Detectors.Kind.named("payment-card"));
    }
}
