package shop.admincatalog;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import shop.commerce.Money;
import shop.commerce.StripeCurrency;
import shop.commerce.catalog.Product;
import shop.commerce.catalog.Sku;
import shop.core.admin.AdminAction;
import shop.core.admin.AdminCaller;
import shop.core.errors.ConflictException;
import shop.core.errors.InvalidInputException;
import shop.core.errors.NotFoundException;
import shop.core.json.Json;
import shop.core.logging.Log;
import shop.core.retention.RetentionSchedule;

/**
 * The back office's catalog: owners create, edit, archive and unarchive products, change stock by
 * deltas and upload photos; staff may read. Every change is one conditional write together with its line
 * of the audit trail (subject {@code PRODUCT#<sku>}, the changed fields before and after): the
 * service writes the line, the store writes it with the change or not at all.
 */
public final class AdminCatalogService {
    /** What the images bucket accepts, and the extension its keys get. */
    static final Map<String, String> IMAGE_TYPES = Map.of("image/jpeg", "jpg", "image/png", "png", "image/webp", "webp");
    static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;
    static final Duration UPLOAD_LIFETIME = Duration.ofMinutes(5);
    /** Checkouts taking pieces between a stock change's read and its write: a few rounds suffice. */
    static final int STOCK_ATTEMPTS = 5;
    /** A stock change's Idempotency-Key, as the refunds' (a UUID from the page). */
    private static final Pattern REQUEST_KEY = Pattern.compile("[A-Za-z0-9_-]{8,128}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProductAdminStore products;
    private final ImageUploads uploads;
    private final String imagesBaseUrl;
    private final Clock clock;

    /** {@code imagesBaseUrl}: where the images bucket is served (CloudFront), without a trailing slash. */
    public AdminCatalogService(ProductAdminStore products, ImageUploads uploads, String imagesBaseUrl, Clock clock) {
        this.products = products;
        this.uploads = uploads;
        this.imagesBaseUrl = imagesBaseUrl.endsWith("/") ? imagesBaseUrl.substring(0, imagesBaseUrl.length() - 1)
                : imagesBaseUrl;
        this.clock = clock;
    }

    /**
     * Every product: those on sale first, then the archived ones, each in SKU order, so a catalog
     * of hundreds keeps what is sold now together and what may come back apart.
     */
    public List<AdminProductView> list(AdminCaller caller) {
        caller.requireStaff();
        return products.all().stream()
                .sorted(Comparator.comparing(versioned -> !versioned.product().active()))
                .map(AdminProductView::of)
                .toList();
    }

    public AdminProductView create(AdminCaller caller, ProductDraft draft) {
        caller.requireOwner();
        Product product = product(draft, draft.stock(), true);
        if (draft.oneOfAKind() && draft.stock() > 1) {
            throw new InvalidInputException("stock", "A one-of-a-kind piece has a stock of 0 or 1.");
        }
        requireOwnImages(product.sku(), product.images(), List.of());
        if (!products.create(product, line(caller, product.sku(), "product.created", null, details(product)))) {
            // The same creation sent again after its answer was lost finds the product as it made it.
            var made = products.find(product.sku()).filter(v -> v.version() == 1 && v.product().equals(product));
            if (made.isPresent()) {
                return AdminProductView.of(made.get());
            }
            throw new ConflictException("A product with SKU " + product.sku() + " exists already; edit it instead.");
        }
        return AdminProductView.of(new ProductAdminStore.Versioned(product, 1));
    }

    /**
     * Changes a product's details if nobody changed them since the page read {@code version}.
     * The stock is not touched (deltas only), nor whether it is on sale (archive, unarchive): an
     * archived product may be edited before it is put back on sale. An edit on an older version
     * whose details the product has already (the same "Save" sent again after its answer was
     * lost) is answered as saved, nothing written.
     */
    public AdminProductView update(AdminCaller caller, String sku, long version, ProductDraft edit) {
        caller.requireOwner();
        ProductAdminStore.Versioned current = existing(sku);
        Product before = current.product();
        Product after = product(new ProductDraft(sku, edit.name(), edit.description(), edit.price(), before.stock(),
                edit.images(), edit.taxCode(), edit.oneOfAKind()), before.stock(), before.active());
        if (current.version() != version) {
            if (after.equals(before)) {
                return AdminProductView.of(current);
            }
            throw changedMeanwhile(sku);
        }
        if (edit.oneOfAKind() && !before.oneOfAKind() && before.stock() + current.held() > 1) {
            // As a creation is refused: one of a kind is 0 or 1, for sale or held, or "+" and the storefront disagree.
            throw new ConflictException(sku + " has " + before.stock() + " pieces for sale and " + current.held()
                    + " in open checkouts, and a one-of-a-kind piece has at most one: lower its stock first (or wait"
                    + " for the checkouts to end), then mark it one of a kind. Nothing was changed.");
        }
        requireOwnImages(sku, after.images(), before.images());
        Map<String, Object> was = details(before);
        Map<String, Object> is = details(after);
        was.keySet().removeIf(field -> Objects.equals(was.get(field), is.get(field)));
        is.keySet().retainAll(was.keySet());
        String action = was.containsKey("price") ? "product.price_changed" : "product.updated";
        long newVersion = products.update(after, version, line(caller, sku, action, was, is))
                .orElseThrow(() -> changedMeanwhile(sku));
        return AdminProductView.of(new ProductAdminStore.Versioned(after, newVersion, current.held()));
    }

    /** No longer sold: hidden from the storefront and refused by checkout; old orders still name it. */
    public AdminProductView archive(AdminCaller caller, String sku) {
        return setOnSale(caller, sku, false);
    }

    /**
     * An archived product on sale again (a seasonal piece back for its season): listed by the
     * storefront and sold by checkout, with the stock, details and photos it had.
     */
    public AdminProductView unarchive(AdminCaller caller, String sku) {
        return setOnSale(caller, sku, true);
    }

    private AdminProductView setOnSale(AdminCaller caller, String sku, boolean onSale) {
        caller.requireOwner();
        ProductAdminStore.Versioned current = existing(sku);
        // Refused when it is gone, or when another click made the same change since the read (that
        // one has the line). Already as asked: nothing to write, and no line.
        if (current.product().active() != onSale) {
            products.setOnSale(sku, onSale, line(caller, sku, onSale ? "product.unarchived" : "product.archived",
                    Map.of("active", !onSale), Map.of("active", onSale)));
        }
        return AdminProductView.of(products.find(sku).orElseThrow(AdminCatalogService::noSuchProduct));
    }

    /**
     * Adds or takes away pieces. Pieces in open checkouts are already out of the count for sale,
     * so refusing a result below zero is what keeps the stock from dropping below what checkouts
     * hold; the refusal says how many are held. A one-of-a-kind piece held by an open checkout
     * gets no second piece for sale: the refusal says it is held, and that it comes back on sale by
     * itself if that checkout ends unpaid.
     */
    public StockLevel adjustStock(AdminCaller caller, String sku, int delta) {
        return adjustStock(caller, sku, delta, null);
    }

    /**
     * As {@link #adjustStock(AdminCaller, String, int)}, with the page's {@code Idempotency-Key} of
     * this press ({@code request}, null for none): the same change sent again after its answer was
     * lost finds its key on the product and is answered with the stock as it is now, not made
     * twice (a "+" counted two pieces in; a "−" that took the last one refused as below zero).
     */
    public StockLevel adjustStock(AdminCaller caller, String sku, int delta, String request) {
        caller.requireOwner();
        if (!Sku.wellFormed(sku)) {
            throw noSuchProduct();
        }
        if (delta == 0 || delta < -Product.MAX_STOCK || delta > Product.MAX_STOCK) {
            throw new InvalidInputException("delta", "A stock change is a whole number from -" + Product.MAX_STOCK
                    + " to " + Product.MAX_STOCK + ", not 0.");
        }
        if (request != null && !REQUEST_KEY.matcher(request).matches()) {
            throw new InvalidInputException("Idempotency-Key", "An Idempotency-Key is 8 to 128 letters, digits, - and _"
                    + " (a UUID per press of + or −).");
        }
        // Read, judged and written on the condition that the count is still as read: a checkout
        // moving it meanwhile means reading again. The trail line carries the count before and after.
        for (int attempt = 0; attempt < STOCK_ATTEMPTS; attempt++) {
            ProductAdminStore.Versioned read = existing(sku);
            Product product = read.product();
            int seen = product.stock();
            int held = read.held();
            if (request != null && request.equals(read.stockRequest())) {
                return StockLevel.of(sku, seen, held); // made already: its answer was lost
            }
            int available = seen + delta;
            if (available < 0) {
                throw new ConflictException(held + " piece(s) of " + sku + " are held by open checkouts and " + seen
                        + " are for sale: the stock can go down by at most " + seen + " now.");
            }
            if (product.oneOfAKind() && available <= 1 && available + held > 1) {
                throw new ConflictException(sku + " is one of a kind and its piece is held by an open checkout ("
                        + held + " held, " + seen + " for sale): a customer may be paying for it now. If that checkout"
                        + " ends unpaid, the piece comes back on sale by itself. Nothing was changed.");
            }
            if (available > Product.MAX_STOCK || product.oneOfAKind() && available > 1) {
                throw new ConflictException(product.oneOfAKind()
                        ? sku + " is one of a kind: at most one piece for sale (now " + seen + ")."
                        : "The stock of " + sku + " would exceed " + Product.MAX_STOCK + ".");
            }
            if (products.adjustStock(sku, seen, delta, Product.MAX_STOCK, request, line(caller, sku, "product.stock_changed",
                    Map.of("available", seen), Map.of("available", available, "delta", delta)))) {
                return StockLevel.of(sku, available, held);
            }
        }
        throw new ConflictException("The stock of " + sku + " kept changing (checkouts taking pieces) while it was"
                + " changed; nothing was written. Try again.");
    }

    /**
     * A one-time link for the admin page to PUT one photo of the product straight into the images
     * bucket: JPEG, PNG or WebP up to 5 MB, the type and size signed into the link, valid 5
     * minutes, at a random key under {@code products/<sku>/}. The photo shows once the product's
     * image list names {@code imageUrl} ({@link #update}).
     */
    public ImageUpload imageUpload(AdminCaller caller, String sku, String contentType, long size) {
        caller.requireOwner();
        existing(sku);
        String type = contentType == null ? "" : contentType.strip().toLowerCase(Locale.ROOT);
        String extension = IMAGE_TYPES.get(type);
        if (extension == null) {
            throw new InvalidInputException("contentType", "A photo is image/jpeg, image/png or image/webp.");
        }
        if (size < 1 || size > MAX_IMAGE_BYTES) {
            throw new InvalidInputException("size", "A photo has 1 byte to 5 MB (" + MAX_IMAGE_BYTES + " bytes).");
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String key = "products/" + sku + "/" + HexFormat.of().formatHex(random) + "." + extension;
        Instant expiresAt = clock.instant().plus(UPLOAD_LIFETIME);
        String url = uploads.presignPut(key, type, size, UPLOAD_LIFETIME).toString();
        Log.info("product_image_upload_signed", Map.of("sku", sku, "key", key, "size", size));
        return new ImageUpload(url, imagesBaseUrl + "/" + key, key, expiresAt.toString(), Map.of("content-type", type));
    }

    private ProductAdminStore.Versioned existing(String sku) {
        if (!Sku.wellFormed(sku)) {
            throw noSuchProduct();
        }
        return products.find(sku).orElseThrow(AdminCatalogService::noSuchProduct);
    }

    /** The product's own validation, reported as the caller's error. */
    private static Product product(ProductDraft draft, int stock, boolean active) {
        if (draft.price() == null) {
            throw new InvalidInputException("price", "A product needs a price {amount, currency}.");
        }
        StripeCurrency counted = StripeCurrency.of(draft.price().currency());
        if (draft.price().amount() > StripeCurrency.MAX_UNIT_AMOUNT) {
            // Checkout's unit_amount has at most 8 digits, whatever the currency: a higher price could never be paid.
            throw new InvalidInputException("price", "Stripe Checkout charges at most "
                    + Money.of(StripeCurrency.MAX_UNIT_AMOUNT, counted.code()).format() + " for a piece (an amount of "
                    + StripeCurrency.MAX_UNIT_AMOUNT + " in Stripe's units): " + draft.price().format()
                    + " cannot be paid.");
        }
        if (!counted.charges(draft.price().amount())) {
            // Stripe charges ISK and UGX in whole units (a two-decimal amount ending in 00) and the three-decimal
            // currencies (BHD, JOD, KWD, OMR, TND) in whole tens of their minor unit: a price such as 12.345 KWD
            // or 25,000.50 ISK would be taken here and refused at every checkout.
            long lower = counted.stepBelow(draft.price().amount());
            String currency = counted.code();
            throw new InvalidInputException("price", "Stripe charges " + currency + " in steps of "
                    + Money.of(counted.step(), currency).format() + ": " + draft.price().format()
                    + " cannot be paid; use " + Money.of(lower, currency).format() + " or "
                    + Money.of(lower + counted.step(), currency).format() + ".");
        }
        requireText("name", draft.name(), false);
        requireText("description", draft.description(), true);
        try {
            return new Product(draft.sku(), draft.name(), draft.description(), draft.price(), stock, draft.images(),
                    active, draft.taxCode(), draft.oneOfAKind());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(null, e.getMessage());
        }
    }

    /**
     * A name is one line with something people can see; a description may have line breaks and
     * tabs. Neither has another control character, a line or paragraph separator, or half of a
     * surrogate pair (DynamoDB refuses that, which the caller would read as "try again"). The
     * storefront, Stripe Checkout and the order mails show both. (Lengths: {@link Product}.)
     */
    private static void requireText(String field, String value, boolean lines) {
        if (value == null) {
            return; // Product says it is missing
        }
        if (value.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE || c == 0x2028 || c == 0x2029
                || Character.isISOControl(c) && !(lines && (c == '\n' || c == '\r' || c == '\t')))) {
            throw new InvalidInputException(field, "A product " + field + (lines ? " may have line breaks but no other"
                    : " is one line, without") + " control characters or broken characters.");
        }
        if (!lines && !value.strip().isEmpty() && value.codePoints().allMatch(c -> Character.isWhitespace(c)
                || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT)) {
            throw new InvalidInputException(field, "A product " + field + " needs a character people can see.");
        }
    }

    /**
     * A new image must be one uploaded for this product (under the images base URL, at
     * {@code products/<sku>/}); images it had before may stay. So a stolen session cannot point
     * the storefront at another site's pictures.
     */
    private void requireOwnImages(String sku, List<String> images, List<String> before) {
        String own = imagesBaseUrl + "/products/" + sku + "/";
        for (String image : images) {
            if (!before.contains(image) && !(image.startsWith(own) && image.substring(own.length()).matches("[0-9a-f]{32}\\.(jpg|png|webp)"))) {
                throw new InvalidInputException("images", "An image is one uploaded for this product"
                        + " (POST /admin/products/" + sku + "/images gives its imageUrl): " + image);
            }
        }
    }

    /** The trail line of a change, written by the store with the change itself. */
    private AdminAction line(AdminCaller caller, String sku, String action, Map<String, Object> before,
                             Map<String, Object> after) {
        Instant now = clock.instant();
        return AdminAction.by(caller, "PRODUCT#" + sku, action, now, before == null ? null : Json.write(before),
                Json.write(after), RetentionSchedule.ADMIN_AUDIT.expiresAt(now));
    }

    private static Map<String, Object> details(Product product) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", product.name());
        fields.put("description", product.description());
        fields.put("price", Map.of("amount", product.price().amount(), "currency", product.price().currency()));
        fields.put("images", product.images());
        fields.put("taxCode", product.taxCode());
        fields.put("oneOfAKind", product.oneOfAKind());
        fields.put("active", product.active());
        fields.put("stock", product.stock());
        return fields;
    }

    private static ConflictException changedMeanwhile(String sku) {
        return new ConflictException(sku + " was changed by someone else since you opened it: reload it and make"
                + " your change again.");
    }

    private static NotFoundException noSuchProduct() {
        return new NotFoundException("There is no product with this SKU.");
    }
}
