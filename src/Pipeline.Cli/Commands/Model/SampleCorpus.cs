namespace Pipeline.Cli.Commands.Model;

/// <summary>
/// The text `model init` trains its tokenizer on when no --corpus is given: a few KB of plain English in
/// the domain of the quickstart (a support desk), so the merges cover the words the pipeline's data uses.
/// Kept in code rather than as an embedded resource so the CLI project needs no resource entries.
/// </summary>
public static class SampleCorpus
{
    /// <summary>Paragraphs separated by blank lines; each paragraph is one training text.</summary>
    public static IReadOnlyList<string> Paragraphs() =>
        [.. Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public const string Text = """
        Hello, and thank you for contacting customer support. My name is Sam and I will be helping you today.
        I am sorry to hear that your order has not arrived yet. Could you please send me your order number so
        that I can check where the package is right now?

        Thank you for your patience. I have checked your order and I can see that the package left our
        warehouse on Monday. The carrier expects to deliver it within two business days. You will receive an
        email with a tracking link as soon as the carrier scans the package again.

        Hi there! Thanks for reaching out. I understand that you would like to change the delivery address for
        your order. Because the order has already shipped, I cannot change the address myself, but I can ask
        the carrier to hold the package at a pickup point near you. Would that work for you?

        Good morning. I am sorry that the product you received was damaged. That is not the experience we want
        you to have. Please reply with a photo of the damage and the packaging, and I will arrange a
        replacement or a full refund, whichever you prefer.

        Thank you for your message. Refunds are usually processed within five to seven business days after we
        receive the returned item. The money goes back to the same card or account you used to pay. If you do
        not see the refund after ten days, please let us know and we will look into it.

        Hello! I can help you reset your password. Please open the sign in page, choose "Forgot password", and
        enter the email address on your account. You will receive a link that is valid for one hour. If the
        email does not arrive, please check your spam folder before trying again.

        Thanks for getting in touch. For questions about billing, invoices, charges or payments, our billing
        team is the right team to help. I have forwarded your message to them, and they will reply within one
        business day. Please do not share your full card number in this chat.

        Hi, thank you for writing to us. Questions about your health, medication or symptoms should go to a
        qualified professional. I have passed your message to our health and safety team, who will contact
        you directly. If this is an emergency, please call your local emergency number right away.

        Hello, and welcome back. I can see that your subscription renews next week. If you would like to
        cancel, you can do it from the account settings page under "Plan and billing". Your access will
        continue until the end of the current period, and you will not be charged again.

        Thank you for the feedback. I am glad to hear that the new app update works well for you. I have shared
        your suggestion about a dark mode with our product team. We cannot promise a date, but requests like
        yours help us decide what to build next.

        Good afternoon. I am sorry for the trouble with the app. Could you tell me which version you are using
        and what happens when you try to open it? In the meantime, please try closing the app completely and
        opening it again, or restarting your phone. That fixes most problems of this kind.

        Hi! Our support team is available every day from eight in the morning until eight in the evening. You
        can reach us by chat, by email, or through the help center. Most messages receive an answer within a
        few hours, and we always reply within one business day.

        Thank you for contacting us about your warranty. Every product comes with a two year warranty that
        covers defects in materials and workmanship. It does not cover accidental damage. To make a claim,
        please send us the order number, a short description of the problem, and a photo if possible.

        Hello. I understand how frustrating it is to wait for an answer. I am sorry that your earlier message
        was not answered sooner. I have reviewed your case, and I can confirm that the replacement was sent
        this morning. You should receive it by Friday. Is there anything else I can help you with today?

        Thanks for asking. Yes, you can return an item within thirty days of delivery, as long as it is unused
        and in its original packaging. Start the return from your orders page, print the label, and drop the
        package at any post office. Return shipping is free for damaged or incorrect items.

        Hi, and thank you for your question about privacy. We never sell your personal data. You can download
        a copy of your data or ask us to delete your account at any time from the privacy settings page. If
        you have more questions, our privacy team will be happy to help.

        Good evening. I am happy to help you update the phone number on your account. For your security, I
        will not repeat the number here. Please open your profile, choose "Contact details", and enter the new
        number. You will receive a short code to confirm the change.

        Thank you for your order! We have received your payment, and your items will be packed within one
        business day. You will receive a confirmation email with the expected delivery date. If you need to
        change anything, please reply to this message as soon as possible.

        Hello, thanks for your patience while I looked into this. The discount code you used expired at the
        end of last month, which is why it was not applied. As a thank you for being a loyal customer, I have
        added a ten percent discount to your next order. It will be applied automatically at checkout.

        Thank you for reaching out, and have a great day. If you have any other questions, just reply to this
        message and a member of our team will be glad to help you.
        """;
}
