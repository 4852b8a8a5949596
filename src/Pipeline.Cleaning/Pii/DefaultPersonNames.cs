namespace Pipeline.Cleaning.Pii;

/// <summary>
/// The default name list: common given names across the languages our data comes in. Names that
/// are also ordinary capitalised words (Will, May, June, April, August, Mark, Bill, Grace, Faith,
/// Hope, Joy, Rose, Jack, Max, Pat, Art, Frank, Rich, Guy, Don, Dawn, Eve, Ruby, Amber, Holly,
/// Ivy, Iris, Summer, Hunter, Chase, Dean, Miles) are left out: they would cost more false
/// positives than they find; greetings and signatures still catch them.
/// </summary>
public static class DefaultPersonNames
{
    public static readonly IReadOnlyList<string> All =
    [
        // English, female
        "Anna", "Emma", "Olivia", "Sophia", "Isabella", "Mia", "Charlotte", "Amelia", "Emily", "Abigail",
        "Elizabeth", "Sarah", "Jessica", "Jennifer", "Laura", "Linda", "Susan", "Karen", "Nancy", "Lisa",
        "Betty", "Sandra", "Ashley", "Kimberly", "Michelle", "Melissa", "Rebecca", "Rachel", "Hannah", "Natalie",
        "Chloe", "Zoe", "Megan", "Lauren", "Samantha", "Katherine", "Catherine", "Margaret", "Helen", "Alice",
        "Julia", "Sophie", "Clara", "Lucy", "Ella", "Eleanor",
        // English, male
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
        "Christopher", "Daniel", "Matthew", "Anthony", "Donald", "Steven", "Paul", "Andrew", "Joshua", "Kenneth",
        "Kevin", "Brian", "George", "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob",
        "Gary", "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin",
        "Samuel", "Gregory", "Alexander", "Patrick", "Dennis", "Tyler", "Aaron", "Adam", "Nathan", "Henry",
        "Peter", "Zachary", "Kyle", "Noah", "Ethan", "Liam", "Lucas", "Oliver", "Tom", "Tim",
        "Mike", "Dave", "Steve", "Chris", "Alex", "Sam", "Ben", "Dan", "Nick", "Joe",
        // German
        "Maria", "Lukas", "Leon", "Felix", "Jonas", "Anja", "Katrin", "Stefan", "Jürgen", "Klaus",
        "Wolfgang", "Uwe", "Sabine", "Ursula", "Monika", "Petra", "Andreas", "Markus", "Tobias", "Florian",
        "Johannes", "Lena", "Leonie", "Lea", "Marie", "Greta",
        // Spanish, Portuguese
        "José", "Juan", "Carlos", "Luis", "Javier", "Miguel", "Pablo", "Diego", "Sofía", "Lucía",
        "Carmen", "Isabel", "Ana", "João", "Pedro", "Mateo", "Valentina", "Camila",
        // French, Italian
        "Jean", "Pierre", "Louis", "Camille", "Chloé", "Manon", "Léa", "Hugo", "Théo", "Julien",
        "Nicolas", "Antoine", "Mathieu", "Élodie", "Amélie", "Giulia", "Francesca", "Giuseppe", "Marco", "Luca",
        "Matteo", "Alessandro", "Lorenzo", "Chiara", "Sofia",
        // Arabic, South Asian, East Asian, Slavic, Nordic
        "Ahmed", "Mohammed", "Fatima", "Aisha", "Omar", "Ali", "Yusuf", "Priya", "Arjun", "Anil",
        "Sanjay", "Deepak", "Hiroshi", "Yuki", "Kenji", "Olga", "Ivan", "Dmitri", "Sergei", "Natasha",
        "Ingrid", "Lars", "Sven", "Nils", "Astrid", "Piotr", "Katarzyna",
    ];
}
