namespace Pipeline.Quickstart.Scenarios;

/// <summary>
/// The wordings of each intent. Slots: {order} an order number, {product} a product, {care} a care product,
/// {city}, {past} a past day ("on Monday"), {days} a count in words, {amount} a price, {plan} a subscription.
/// Every wording carries a cue <see cref="IntentClassifier"/> recognizes (a test checks all of them).
/// </summary>
internal static class MessageTemplates
{
    public static IReadOnlyList<string> For(SupportIntent intent) => intent switch
    {
        SupportIntent.LateDelivery =>
        [
            "My order {order} was supposed to arrive {past} but it is still not here. Where is my parcel?",
            "I ordered a {product} {days} days ago and it has not arrived yet. Can you tell me where it is?",
            "The parcel with order {order} is late. The website said {past} and nothing came.",
            "Still waiting for my {product}. Order {order} was due {days} days ago. When will it be delivered?",
            "My delivery to {city} is late again. Order {order} should have been here {past}.",
            "Where is my parcel? I have been waiting {days} days for the {product}.",
            "The {product} I ordered {past} has still not arrived. Is it lost?",
        ],
        SupportIntent.RefundRequest =>
        [
            "I would like a refund for the {product} from order {order}. It does not fit.",
            "Please refund order {order}. I sent the {product} back {past}.",
            "I returned the {product} {days} days ago and still have no refund. Can you check order {order}?",
            "Can I get a refund for my {product}? I changed my mind and have not opened it.",
            "The {product} is not what I expected. How do I get a refund for order {order}?",
            "When will I get my refund for the {product}? The shop in {city} accepted the return {past}.",
        ],
        SupportIntent.PasswordReset =>
        [
            "I forgot my password and cannot log in to my account. Can you help me reset it?",
            "My password does not work any more. How do I reset it so I can see my orders?",
            "I cannot sign in. The site says my password is wrong but I am sure it is right.",
            "Please help, I am locked out of my account after typing the wrong password three times.",
            "How can I change my password? I think someone else knows it.",
            "The login page keeps saying my password is wrong since {past}. What should I do?",
        ],
        SupportIntent.BillingQuestion =>
        [
            "Why was I charged twice for order {order}? I only bought one {product}.",
            "There is a charge of {amount} on my card that I do not recognise. What is it for?",
            "Can you explain the {amount} charge on my last statement? I expected a lower price for the {product}.",
            "I need an invoice for order {order} for my records. Where can I find it?",
            "The price of the {product} went up after I paid. Why was I charged {amount}?",
            "My bank shows a charge of {amount} from you {past}, but I did not order anything.",
        ],
        SupportIntent.DamagedItem =>
        [
            "The {product} from order {order} arrived broken. The box was crushed.",
            "My {product} came damaged. There is a big crack on the side.",
            "I opened the parcel today and the {product} is scratched and does not work.",
            "Order {order} arrived {past} but the {product} inside was smashed.",
            "The {product} I got {past} is damaged. One part is missing and the rest is bent.",
        ],
        SupportIntent.ChangeAddress =>
        [
            "I moved to {city} last week. Can you change the delivery address for order {order}?",
            "Please send order {order} to my new address in {city} instead.",
            "I typed the wrong street for my order. Can I still update the address?",
            "Can you deliver my {product} to my work address in {city} instead of my home?",
            "I need to change the address on my account before my {product} ships. I now live in {city}.",
        ],
        SupportIntent.CancelSubscription =>
        [
            "Please cancel my {plan} subscription. I do not use it any more.",
            "How do I stop my monthly {plan} subscription? I want to cancel before the next payment.",
            "I want to end my subscription today. Please make sure no new payment is taken.",
            "Cancel my {plan} membership please. I am leaving the country {past}.",
            "I signed up for {plan} by mistake. Can you cancel it and stop the payments?",
        ],
        SupportIntent.HealthQuestion =>
        [
            "The {care} I ordered gave me a rash. Should I see a doctor?",
            "Is it safe to take the {care} from order {order} while I am pregnant?",
            "I have a headache after using the {care}. Is that normal?",
            "Can my child use the {care} if she has asthma?",
            "I feel dizzy since I started the {care} from your shop. Is it dangerous for my health?",
            "I think I am allergic to the {care}. My eyes are red. What should I take?",
        ],
        SupportIntent.MoneyOrLegalQuestion =>
        [
            "Can I take you to court if my order {order} never arrives?",
            "Do I have to pay import tax on the {product} I ordered from abroad?",
            "Can I claim the {amount} for order {order} on my tax return?",
            "Is my contract with you legally binding if I signed it online?",
            "My lawyer asks whether your terms allow compensation for a lost parcel. What is the answer?",
            "Can I pay for the {product} with a loan from you, and what interest would I pay?",
        ],
        SupportIntent.Complaint =>
        [
            "Your driver was very rude to me {past} and threw the parcel over the fence.",
            "I waited on the phone for an hour and nobody answered. This service is terrible.",
            "This is the third time my order is wrong. I am very unhappy with your service.",
            "The courier left my {product} in the rain outside the door. Not good enough.",
            "I am disappointed. Your staff in {city} ignored me when I asked about order {order}.",
        ],
        SupportIntent.ThankYou =>
        [
            "Just wanted to say thank you. The {product} arrived early and works great.",
            "Thanks a lot for the quick help with my order {order} {past}!",
            "Great service, the {product} came a day early. Thank you!",
            "Thank you for fixing my problem so fast. You are the best.",
            "I am very grateful for the help with the {product}. Everything is fine now.",
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(intent), intent, "not a support intent"),
    };

    /// <summary>How customers open a message; empty means no opener.</summary>
    public static readonly IReadOnlyList<string> Openers = ["Hello,", "Hi there,", "Good morning,", "Hi,", "Hey,"];

    /// <summary>Lines that put personal data in a message: {phone}, {email}.</summary>
    public static readonly IReadOnlyList<string> ContactLines =
    [
        "You can call me on {phone}.",
        "My number is {phone}.",
        "Please reply to {email}.",
        "My e-mail is {email}.",
        "Call me on {phone} or write to {email}.",
    ];

    /// <summary>Signatures: {name} a first name, {surname}.</summary>
    public static readonly IReadOnlyList<string> Signatures = ["Thanks, {name}", "Regards, {name}", "Best wishes, {name}", "{name} {surname}"];
}
