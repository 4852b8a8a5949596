namespace Pipeline.Cleaning.Pii;

/// <summary>
/// Capitalised words that follow greetings or sit next to names but are not names
/// ("Hello World", "Dear Customer", "Hi Team", "Anna Monday"), so neither discovery nor surname
/// extension takes them.
/// </summary>
internal static class NameStopWords
{
    /// <summary>
    /// Words that make a signed or greeted name an organisation ("Kind regards, Acme Parcel", "Hi Billing Team"):
    /// a cue whose name holds one is not a person, so none of its words is learned as a name.
    /// </summary>
    public static readonly HashSet<string> Organisation = new(StringComparer.OrdinalIgnoreCase)
    {
        "Parcel", "Parcels", "Team", "Support", "Service", "Services", "Shop", "Store", "Stores", "Delivery", "Deliveries",
        "Logistics", "Care", "Help", "Desk", "Helpdesk", "Bank", "Group", "Company", "Co", "Corp", "Inc", "Ltd", "GmbH", "Office",
        "Sales", "Billing", "Express", "Post", "Mail", "Airlines", "Airways", "Hotel", "Market", "Foods", "Labs", "Systems",
        "Solutions", "Technologies", "Online", "Direct", "Club", "Department", "Dept", "Staff", "Crew", "Management", "Admin",
    };

    public static readonly HashSet<string> All = new(StringComparer.OrdinalIgnoreCase)
    {
        "I", "A", "The", "There", "Here", "This", "That", "All", "Everyone", "Everybody", "Folks", "Guys", "Friends",
        "Team", "Teams", "Customer", "Customers", "Colleague", "Colleagues", "Sir", "Madam", "Sirs", "World",
        "Support", "Sales", "Admin", "Again", "Again!", "Valued", "User", "Users", "Client", "Hiring", "Manager",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Python", "Java", "JavaScript", "TypeScript", "Rust", "Go", "Ruby", "Kotlin", "Swift", "Linux", "Windows",
        "Excel", "Word", "Google", "Microsoft", "Apple", "Amazon", "Azure", "Docker", "Kubernetes", "GitHub",
        "And", "Or", "But", "So", "Yes", "No", "Ok", "Okay", "Please", "Thanks", "Thank", "Regards", "Best",
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Street", "Road", "Avenue", "Inc", "Ltd", "GmbH",
        // titles, greetings and group words of the other languages the cues know
        "Miss", "Mx", "Herr", "Frau", "Mme", "Mlle", "Monsieur", "Madame", "Señor", "Señora", "Sr", "Sra", "Signor", "Signora",
        "Sig", "Dott", "Hi", "Hello", "Hey", "Dear", "Hallo", "Hola", "Bonjour", "Ciao", "Olá", "Hej", "Sehr", "Liebe", "Lieber",
        "Zusammen", "Alle", "Kunde", "Kundin", "Tous", "Todos", "Tutti", "Equipo", "Équipe", "Cliente", "Kundenservice",
    };
}
