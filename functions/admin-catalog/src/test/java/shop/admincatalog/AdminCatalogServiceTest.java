package shop.admincatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static shop.admincatalog.Fakes.IMAGES;
import static shop.admincatalog.Fakes.OWNER;
import static shop.admincatalog.Fakes.STAFF;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import shop.commerce.Money;
import shop.commerce.catalog.Product;
import shop.core.errors.ConflictException;
import shop.core.errors.ForbiddenException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;

class AdminCatalogServiceTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    private final Fakes.Trail trail = new Fakes.Trail();
    private final InMemoryProductAdminStore products = new InMemoryProductAdminStore(trail)
            .with(new Product("RING-ARIA", "Aria ring", "Moonstone", Money.of(18500, "USD"), 1,
                    List.of(IMAGES + "/sample/ring-aria.jpg"), true, null, true))
            .with(new Product("EAR-COMET", "Comet studs", "", Money.of(7500, "USD"), 3, List.of(), true));
    private final Fakes.Uploads uploads = new Fakes.Uploads();
    private final AdminCatalogService service = new AdminCatalogService(products, uploads, IMAGES + "/",
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void staffSeeEveryProductWithStockHeldAndAvailableButChangeNothing() {
        products.held("EAR-COMET", 2);
        service.archive(OWNER, "RING-ARIA");

        List<AdminProductView> list = service.list(STAFF);

        assertEquals(List.of("EAR-COMET", "RING-ARIA"), list.stream().map(AdminProductView::sku).toList());
        AdminProductView comet = list.get(0);
        assertEquals(List.of(5, 2, 3), List.of(comet.stock(), comet.held(), comet.available()));
        assertFalse(list.get(1).active(), "archived products are listed too");
        int before = trail.actions.size();
        assertThrows(ForbiddenException.class, () -> service.create(STAFF, draft("NEW-1", 1)));
        assertThrows(ForbiddenException.class, () -> service.update(STAFF, "EAR-COMET", 1, edit(9900, List.of())));
        assertThrows(ForbiddenException.class, () -> service.adjustStock(STAFF, "EAR-COMET", 1));
        assertThrows(ForbiddenException.class, () -> service.archive(STAFF, "EAR-COMET"));
        assertThrows(ForbiddenException.class, () -> service.unarchive(STAFF, "RING-ARIA"));
        assertThrows(ForbiddenException.class, () -> service.imageUpload(STAFF, "EAR-COMET", "image/png", 10));
        assertEquals(before, trail.actions.size());
        assertEquals(7500, products.find("EAR-COMET").orElseThrow().product().price().amount());
    }

    @Test
    void anOwnerCreatesAProductOnceAndTheTrailSaysWhoAndWhat() {
        AdminProductView created = service.create(OWNER, draft("NECK-NEW", 1));

        assertEquals(1, created.version());
        assertTrue(created.active());
        assertEquals("txcd_99999999", products.find("NECK-NEW").orElseThrow().product().taxCode());
        var line = trail.of("PRODUCT#NECK-NEW").get(0);
        assertEquals("product.created", line.action());
        assertEquals("sub-owner", line.actor());
        assertNull(line.before());
        assertTrue(line.after().contains("\"amount\":12000"), line.after());
        assertEquals(NOW.plus(Duration.ofDays(7 * 365)).getEpochSecond(), line.expiresAt());

        assertThrows(ConflictException.class, () -> service.create(OWNER, draft("NECK-NEW", 0)));
        var twoOfAKind = assertThrows(InvalidInputException.class, () -> service.create(OWNER, draft("NECK-TWO", 2)));
        assertEquals("stock", twoOfAKind.field());
        assertThrows(InvalidInputException.class, () -> service.create(OWNER,
                new ProductDraft("bad sku!", "A", "", Money.of(100, "USD"), 1, List.of(), null, false)));
    }

    @Test
    void anEditIsConditionalOnTheVersionThePageReadAndRecordsOnlyWhatChanged() {
        AdminProductView edited = service.update(OWNER, "EAR-COMET", 1, edit(9900, List.of()));

        assertEquals(2, edited.version());
        assertEquals(3, edited.available(), "an edit never touches the stock");
        var line = trail.of("PRODUCT#EAR-COMET").get(0);
        assertEquals("product.price_changed", line.action());
        assertEquals(tree("{\"price\":{\"amount\":7500,\"currency\":\"USD\"}}"), tree(line.before()));
        assertEquals(tree("{\"price\":{\"amount\":9900,\"currency\":\"USD\"}}"), tree(line.after()));

        var stale = assertThrows(ConflictException.class, () -> service.update(OWNER, "EAR-COMET", 1, edit(8000, List.of())));
        assertTrue(stale.getMessage().contains("changed by someone else"), stale.getMessage());
        assertEquals(9900, products.find("EAR-COMET").orElseThrow().product().price().amount(), "not overwritten");
        assertThrows(NotFoundException.class, () -> service.update(OWNER, "NOPE", 1, edit(8000, List.of())));
    }

    /**
     * "Save" whose answer was lost, pressed again with the version the form read: the product is as
     * asked already, so it is answered as saved, with nothing written, not as "changed by someone
     * else" (which sent the owner to reload and type the change again). Another edit on that version
     * is still refused.
     */
    @Test
    void anEditSentAgainAfterItsAnswerWasLostIsAnsweredAsSavedNotAsSomeoneElsesChange() {
        AdminProductView saved = service.update(OWNER, "EAR-COMET", 1, edit(9900, List.of()));

        AdminProductView again = service.update(OWNER, "EAR-COMET", 1, edit(9900, List.of()));

        assertEquals(saved, again);
        assertEquals(1, trail.actions.size(), "one edit, one line");
        assertEquals(2, products.find("EAR-COMET").orElseThrow().version());
        assertThrows(ConflictException.class, () -> service.update(OWNER, "EAR-COMET", 1, edit(9800, List.of())));
        assertEquals(9900, products.find("EAR-COMET").orElseThrow().product().price().amount());
    }

    /**
     * A name is one line people can see: a control character (a line break pasted from a
     * spreadsheet, NUL), a line separator, half of a surrogate pair (which DynamoDB refused with a
     * 503 "try again"), or nothing visible (a zero-width or no-break space) is a 400 naming the
     * field, on creation and on an edit, and nothing is written.
     */
    @ParameterizedTest
    @ValueSource(strings = {"Ring\nSecond line", "Ring\u0000", "Ring\tRing", "Ring\u2028", "Ring \ud800",
            "\u200b", "\u00a0\u2003", "\u200b\u00a0"})
    void aNameThatIsNotOneVisibleLineIsTheCallersErrorAndWritesNothing(String name) {
        var created = assertThrows(InvalidInputException.class, () -> service.create(OWNER,
                new ProductDraft("NECK-ODD", name, "", Money.of(12000, "USD"), 1, List.of(), null, true)));
        assertEquals("name", created.field());
        var edited = assertThrows(InvalidInputException.class, () -> service.update(OWNER, "EAR-COMET", 1,
                new ProductDraft("EAR-COMET", name, "", Money.of(7500, "USD"), 0, List.of(), null, false)));
        assertEquals("name", edited.field());
        assertTrue(products.find("NECK-ODD").isEmpty());
        assertEquals("Comet studs", products.find("EAR-COMET").orElseThrow().product().name());
        assertTrue(trail.actions.isEmpty());
    }

    /** A description keeps its line breaks and tabs; other control characters and broken pairs are a 400. */
    @Test
    void aDescriptionMayHaveLinesButNoOtherControlCharacters() {
        service.update(OWNER, "EAR-COMET", 1, new ProductDraft("EAR-COMET", "Comet studs",
                "Silver.\r\n\tHand made, 925 \u2013 \ud83d\udc8d", Money.of(7500, "USD"), 0, List.of(), null, false));
        assertEquals("Silver.\r\n\tHand made, 925 \u2013 \ud83d\udc8d",
                products.find("EAR-COMET").orElseThrow().product().description());
        for (String description : List.of("Silver\u0000", "Silver\u001b[31m", "Silver \udc8d")) {
            var refused = assertThrows(InvalidInputException.class, () -> service.update(OWNER, "EAR-COMET", 2,
                    new ProductDraft("EAR-COMET", "Comet studs", description, Money.of(7500, "USD"), 0, List.of(),
                            null, false)));
            assertEquals("description", refused.field());
        }
        assertEquals(1, trail.actions.size());
    }

    /** "Create" whose answer was lost, pressed again: answered as created, once; another product on that SKU is 409. */
    @Test
    void aCreationSentAgainAfterItsAnswerWasLostIsAnsweredAsCreatedOnce() {
        AdminProductView created = service.create(OWNER, draft("NECK-NEW", 1));

        assertEquals(created, service.create(OWNER, draft("NECK-NEW", 1)));
        assertEquals(1, trail.actions.size(), "one product, one line");
        var other = assertThrows(ConflictException.class, () -> service.create(OWNER, new ProductDraft("NECK-NEW",
                "Another piece", "Silver", Money.of(12000, "USD"), 1, List.of(), "txcd_99999999", true)));
        assertTrue(other.getMessage().contains("exists already"), other.getMessage());
        assertEquals("New piece", products.find("NECK-NEW").orElseThrow().product().name());
    }

    @Test
    void archivingHidesAProductOnceAndKeepsIt() {
        AdminProductView archived = service.archive(OWNER, "EAR-COMET");
        service.archive(OWNER, "EAR-COMET");

        assertFalse(archived.active());
        assertTrue(products.find("EAR-COMET").isPresent(), "old orders still name it");
        assertEquals(1, trail.of("PRODUCT#EAR-COMET").size(), "archiving twice is one change");
        assertThrows(NotFoundException.class, () -> service.archive(OWNER, "NOPE"));
    }

    @Test
    void unarchivingPutsAProductBackOnSaleOnceWithWhatItHadAndTheTrailSaysSo() {
        products.held("EAR-COMET", 1);
        service.archive(OWNER, "EAR-COMET");

        AdminProductView back = service.unarchive(OWNER, "EAR-COMET");
        AdminProductView again = service.unarchive(OWNER, "EAR-COMET");

        assertTrue(back.active());
        assertEquals(List.of(4, 1, 3), List.of(back.stock(), back.held(), back.available()),
                "the pieces it had, and what checkouts hold");
        assertEquals(3, back.version(), "created at 1, archived, on sale again");
        assertEquals(back, again, "on sale already: nothing changes");
        var lines = trail.of("PRODUCT#EAR-COMET");
        assertEquals(List.of("product.archived", "product.unarchived"), lines.stream().map(a -> a.action()).toList());
        assertEquals(tree("{\"active\":false}"), tree(lines.get(1).before()));
        assertEquals(tree("{\"active\":true}"), tree(lines.get(1).after()));
        assertEquals("sub-owner", lines.get(1).actor());

        service.unarchive(OWNER, "RING-ARIA");
        assertTrue(trail.of("PRODUCT#RING-ARIA").isEmpty(), "never archived: no line");
        assertThrows(NotFoundException.class, () -> service.unarchive(OWNER, "NOPE"));
        assertThrows(NotFoundException.class, () -> service.unarchive(OWNER, "bad sku!"));
    }

    @Test
    void anArchivedProductMayBeEditedAndStaysArchivedUntilPutBackOnSale() {
        service.archive(OWNER, "EAR-COMET");

        AdminProductView edited = service.update(OWNER, "EAR-COMET", 2, edit(8200, List.of()));

        assertFalse(edited.active(), "an edit does not put it back on sale");
        assertEquals(3, edited.version());
        assertFalse(products.find("EAR-COMET").orElseThrow().product().active());
        assertTrue(service.unarchive(OWNER, "EAR-COMET").active());
        assertEquals(8200, products.find("EAR-COMET").orElseThrow().product().price().amount());
    }

    @Test
    void theListShowsWhatIsOnSaleFirstThenTheArchivedEachInSkuOrder() {
        products.with(new Product("BRACE-LUNA", "Luna bangle", "", Money.of(9900, "USD"), 2, List.of(), true));
        service.archive(OWNER, "BRACE-LUNA");
        service.archive(OWNER, "EAR-COMET");

        assertEquals(List.of("RING-ARIA", "BRACE-LUNA", "EAR-COMET"),
                service.list(STAFF).stream().map(AdminProductView::sku).toList());
        service.unarchive(OWNER, "EAR-COMET");
        assertEquals(List.of("EAR-COMET", "RING-ARIA", "BRACE-LUNA"),
                service.list(STAFF).stream().map(AdminProductView::sku).toList());
    }

    @Test
    void stockMovesByDeltasAndNeverBelowWhatOpenCheckoutsHold() {
        products.held("EAR-COMET", 2);

        StockLevel up = service.adjustStock(OWNER, "EAR-COMET", 4);
        assertEquals(new StockLevel("EAR-COMET", 9, 2, 7), up);
        StockLevel down = service.adjustStock(OWNER, "EAR-COMET", -7);
        assertEquals(new StockLevel("EAR-COMET", 2, 2, 0), down);

        var refused = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, "EAR-COMET", -1));
        assertTrue(refused.getMessage().startsWith("2 piece(s) of EAR-COMET are held by open checkouts"),
                refused.getMessage());
        assertEquals(0, products.find("EAR-COMET").orElseThrow().product().stock());
        assertEquals("product.stock_changed", trail.actions.get(0).action());
        assertEquals(2, trail.actions.size(), "a refused change is not recorded");
    }

    /**
     * "+" after a market day, and the answer is lost on the way back (the page says the shop could
     * not be reached): the page sends the same change again with the same Idempotency-Key. It is
     * answered as made, not made twice, even after a checkout moved the count in between; a "−"
     * that took the last piece is not refused as below zero either. A new key is a new change.
     */
    @Test
    void aStockChangeSentAgainAfterItsAnswerWasLostIsMadeOnce() {
        assertEquals(new StockLevel("EAR-COMET", 5, 0, 5), service.adjustStock(OWNER, "EAR-COMET", 2, "press-0001"));
        products.held("EAR-COMET", 1);
        products.products.computeIfPresent("EAR-COMET", (sku, v) -> new ProductAdminStore.Versioned(
                v.product().withStock(4), v.version(), v.held(), v.stockRequest()));

        assertEquals(new StockLevel("EAR-COMET", 5, 1, 4), service.adjustStock(OWNER, "EAR-COMET", 2, "press-0001"));
        assertEquals(4, products.find("EAR-COMET").orElseThrow().product().stock());
        assertEquals(1, trail.actions.size(), "one change, one line");

        service.adjustStock(OWNER, "RING-ARIA", -1, "press-0002");
        assertEquals(new StockLevel("RING-ARIA", 0, 0, 0), service.adjustStock(OWNER, "RING-ARIA", -1, "press-0002"));
        assertEquals(2, trail.actions.size());

        assertEquals(new StockLevel("EAR-COMET", 7, 1, 6), service.adjustStock(OWNER, "EAR-COMET", 2, "press-0003"));
        assertEquals(3, trail.actions.size());
        var badKey = assertThrows(InvalidInputException.class,
                () -> service.adjustStock(OWNER, "EAR-COMET", 1, "short"));
        assertEquals("Idempotency-Key", badKey.field());
        assertEquals(6, products.find("EAR-COMET").orElseThrow().product().stock(), "a refused key changes nothing");
    }

    @Test
    void aOneOfAKindPieceNeverHasMoreThanOneForSale() {
        service.adjustStock(OWNER, "RING-ARIA", -1);
        service.adjustStock(OWNER, "RING-ARIA", 1);

        var refused = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, "RING-ARIA", 1));
        assertTrue(refused.getMessage().contains("one of a kind"), refused.getMessage());
    }

    /**
     * A checkout holds the piece: 0 for sale, 1 held. "+" would put a second piece on sale while a
     * customer may be paying for the first: refused, naming what is held, with nothing written.
     */
    @Test
    void aOneOfAKindPieceInAnOpenCheckoutGetsNoSecondPieceForSale() {
        products.with(new Product("RING-HELD", "Held ring", "", Money.of(18500, "USD"), 0, List.of(), true, null, true))
                .held("RING-HELD", 1);
        products.with(new Product("EAR-HELD", "Held studs", "", Money.of(7500, "USD"), 0, List.of(), true))
                .held("EAR-HELD", 1);

        assertEquals(List.of(1, 1, 0), service.list(STAFF).stream().filter(p -> p.sku().equals("RING-HELD"))
                .map(p -> List.of(p.stock(), p.held(), p.available())).findFirst().orElseThrow());
        var refused = assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, "RING-HELD", 1));

        assertEquals("RING-HELD is one of a kind and its piece is held by an open checkout (1 held, 0 for sale): a customer"
                + " may be paying for it now. If that checkout ends unpaid, the piece comes back on sale by itself."
                + " Nothing was changed.", refused.getMessage());
        assertEquals(0, products.find("RING-HELD").orElseThrow().product().stock());
        assertTrue(trail.actions.isEmpty(), "no line");
        assertEquals(new StockLevel("EAR-HELD", 2, 1, 1), service.adjustStock(OWNER, "EAR-HELD", 1),
                "a piece that is not one of a kind gets more while one is held");
        var twoHeldAndForSale = assertThrows(ConflictException.class, () -> service.update(OWNER, "EAR-HELD", 1,
                new ProductDraft("EAR-HELD", "Held studs", "", Money.of(7500, "USD"), 0, List.of(), null, true)));
        assertTrue(twoHeldAndForSale.getMessage().contains("1 pieces for sale and 1 in open checkouts"),
                twoHeldAndForSale.getMessage());
    }

    /** Checkout's unit_amount has at most 8 digits: a higher price is taken by nobody, so the catalog refuses it. */
    @Test
    void aPriceAboveWhatStripeCheckoutChargesIsRefusedOnCreationAndEdit() {
        var refused = assertThrows(InvalidInputException.class, () -> service.create(OWNER, new ProductDraft("RING-DEAR",
                "Dear ring", "", Money.of(100_000_000, "USD"), 1, List.of(), null, true)));

        assertEquals("price", refused.field());
        assertEquals("Stripe Checkout charges at most $999,999.99 for a piece (an amount of 99999999 in Stripe's units):"
                + " $1,000,000.00 cannot be paid.", refused.getMessage());
        assertTrue(products.find("RING-DEAR").isEmpty(), "nothing written");
        var yen = assertThrows(InvalidInputException.class, () -> service.update(OWNER, "EAR-COMET", 1,
                new ProductDraft("EAR-COMET", "Comet studs", "", Money.of(100_000_000, "JPY"), 0, List.of(), null, false)));
        assertEquals("price", yen.field());
        assertEquals(7500, products.find("EAR-COMET").orElseThrow().product().price().amount(), "not changed");
        assertTrue(trail.actions.isEmpty(), "no line");

        assertEquals(99_999_999, service.create(OWNER, new ProductDraft("RING-DEAR", "Dear ring", "",
                Money.of(99_999_999, "USD"), 1, List.of(), null, true)).price().amount(), "the highest Stripe charges");
    }

    /** Stripe charges a three-decimal currency in whole tens of its minor unit: 12.345 KWD could never be paid. */
    @Test
    void aThreeDecimalPriceIsInTheStepsStripeCharges() {
        var refused = assertThrows(InvalidInputException.class, () -> service.create(OWNER, new ProductDraft("KWD-PENDANT",
                "Dinar pendant", "", Money.of(12345, "KWD"), 1, List.of(), null, true)));

        assertEquals("price", refused.field());
        assertTrue(refused.getMessage().contains("12.340") && refused.getMessage().contains("12.350"), refused.getMessage());
        assertTrue(products.find("KWD-PENDANT").isEmpty(), "nothing written");
        assertThrows(InvalidInputException.class, () -> service.update(OWNER, "EAR-COMET", 1,
                new ProductDraft("EAR-COMET", "Comet studs", "", Money.of(7505, "BHD"), 0, List.of(), null, false)));

        AdminProductView created = service.create(OWNER, new ProductDraft("KWD-PENDANT", "Dinar pendant", "",
                Money.of(12340, "KWD"), 1, List.of(), null, true));

        assertEquals(12340, created.price().amount());
        assertEquals(4201, service.create(OWNER, new ProductDraft("JPY-RING", "Yen ring", "", Money.of(4201, "JPY"), 1,
                List.of(), null, true)).price().amount(), "a zero-decimal price is any whole number");
    }

    /**
     * Stripe takes ISK as a two-decimal amount whose decimals are always 00: 25,000 ISK is 2500000, and 25,000.50 ISK
     * (2500050) is refused with the two nearest prices Stripe charges; MGA is zero-decimal at Stripe (ISO says 2).
     */
    @Test
    void anIcelandicPriceIsInWholeKronur() {
        var refused = assertThrows(InvalidInputException.class, () -> service.create(OWNER, new ProductDraft("ISK-RING",
                "Króna ring", "", Money.of(2500050, "ISK"), 1, List.of(), null, true)));

        assertEquals("price", refused.field());
        assertEquals("Stripe charges ISK in steps of ISK 1: ISK 25,000.5 cannot be paid; use ISK 25,000 or ISK 25,001.",
                refused.getMessage());
        assertTrue(products.find("ISK-RING").isEmpty(), "nothing written");

        AdminProductView created = service.create(OWNER, new ProductDraft("ISK-RING", "Króna ring", "",
                Money.of(2500000, "ISK"), 1, List.of(), null, true));

        assertEquals(2500000, created.price().amount());
        assertEquals("ISK 25,000", created.price().formatted());
        assertEquals(4201, service.create(OWNER, new ProductDraft("MGA-RING", "Ariary ring", "", Money.of(4201, "MGA"), 1,
                List.of(), null, true)).price().amount(), "an ariary price is any whole number at Stripe");
    }

    @Test
    void markingAPieceWithSeveralForSaleOneOfAKindIsRefusedUntilItsStockIsOne() {
        ProductDraft unique = new ProductDraft("EAR-COMET", "Comet studs", "", Money.of(7500, "USD"), 0, List.of(), null,
                true);

        var refused = assertThrows(ConflictException.class, () -> service.update(OWNER, "EAR-COMET", 1, unique));

        assertTrue(refused.getMessage().contains("EAR-COMET has 3 pieces for sale"), refused.getMessage());
        assertFalse(products.find("EAR-COMET").orElseThrow().product().oneOfAKind(), "nothing changed");
        assertTrue(trail.actions.isEmpty(), "no line");

        service.adjustStock(OWNER, "EAR-COMET", -2);
        AdminProductView marked = service.update(OWNER, "EAR-COMET", 1, unique);

        assertTrue(marked.oneOfAKind());
        assertThrows(ConflictException.class, () -> service.adjustStock(OWNER, "EAR-COMET", 1), "one piece at most now");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10_001, -10_001, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void aStockDeltaOutOfRangeIsTheCallersError(int delta) {
        var error = assertThrows(InvalidInputException.class, () -> service.adjustStock(OWNER, "EAR-COMET", delta));
        assertEquals("delta", error.field());
    }

    @Test
    void aPhotoUploadIsSignedForItsTypeAndSizeForFiveMinutesAtARandomKeyOfTheProduct() {
        ImageUpload upload = service.imageUpload(OWNER, "EAR-COMET", "image/png", 48_000);
        ImageUpload another = service.imageUpload(OWNER, "EAR-COMET", "IMAGE/JPEG", 5 * 1024 * 1024);

        assertTrue(upload.key().matches("products/EAR-COMET/[0-9a-f]{32}\\.png"), upload.key());
        assertTrue(another.key().endsWith(".jpg"));
        assertFalse(upload.key().equals(another.key()));
        assertEquals(IMAGES + "/" + upload.key(), upload.imageUrl());
        assertEquals(NOW.plus(Duration.ofMinutes(5)).toString(), upload.expiresAt());
        assertEquals(new Fakes.Uploads.Signed(upload.key(), "image/png", 48_000, Duration.ofMinutes(5)),
                uploads.signed.get(0));
        assertEquals("image/png", upload.headers().get("content-type"));

        // The photo shows once the product names it.
        AdminProductView edited = service.update(OWNER, "EAR-COMET", 1, edit(7500, List.of(upload.imageUrl())));
        assertEquals(List.of(upload.imageUrl()), edited.images());
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/gif", "image/svg+xml", "text/html", "application/octet-stream", "", "image/png; x=1"})
    void onlyJpegPngAndWebpAreSigned(String type) {
        var error = assertThrows(InvalidInputException.class, () -> service.imageUpload(OWNER, "EAR-COMET", type, 100));
        assertEquals("contentType", error.field());
        assertTrue(uploads.signed.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 5 * 1024 * 1024 + 1, Long.MAX_VALUE})
    void aPhotoHasOneByteToFiveMegabytes(long size) {
        var error = assertThrows(InvalidInputException.class, () -> service.imageUpload(OWNER, "EAR-COMET", "image/png", size));
        assertEquals("size", error.field());
        assertTrue(uploads.signed.isEmpty());
    }

    @Test
    void noUploadForAProductThatDoesNotExist() {
        assertThrows(NotFoundException.class, () -> service.imageUpload(OWNER, "NOPE", "image/png", 10));
        assertThrows(NotFoundException.class, () -> service.imageUpload(OWNER, "../etc", "image/png", 10));
        assertTrue(uploads.signed.isEmpty());
    }

    @Test
    void aProductsImagesAreItsOwnUploadsOrWhatItHadBefore() {
        for (String foreign : List.of("https://evil.example/track.gif", IMAGES + "/products/RING-ARIA/"
                + "0123456789abcdef0123456789abcdef.png", IMAGES + "/products/EAR-COMET/../x.png",
                IMAGES + "/sample/ring-aria.jpg")) {
            var error = assertThrows(InvalidInputException.class,
                    () -> service.update(OWNER, "EAR-COMET", 1, edit(7500, List.of(foreign))), foreign);
            assertEquals("images", error.field());
        }
        // RING-ARIA keeps the sample photo it had.
        service.update(OWNER, "RING-ARIA", 1, new ProductDraft("RING-ARIA", "Aria ring", "Moonstone",
                Money.of(19000, "USD"), 0, List.of(IMAGES + "/sample/ring-aria.jpg"), null, true));
    }

    private static ProductDraft draft(String sku, int stock) {
        return new ProductDraft(sku, "New piece", "Silver", Money.of(12000, "USD"), stock, List.of(), "txcd_99999999",
                true);
    }

    private static ProductDraft edit(long price, List<String> images) {
        return new ProductDraft("EAR-COMET", "Comet studs", "", Money.of(price, "USD"), 0, images, null, false);
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(String json) {
        try {
            return shop.core.json.Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
