package com.landbot.router.shared;

/** What a channel answered on success; {@code deliveryId} is its id for the delivery (SES MessageId), or null. */
public record DeliveryReceipt(String deliveryId) {

    public static DeliveryReceipt withoutId() {
        return new DeliveryReceipt(null);
    }
}
