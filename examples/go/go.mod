module example.com/tursoplatform

go 1.21
